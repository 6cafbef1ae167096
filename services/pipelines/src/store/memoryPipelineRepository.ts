import { MemoryTable, type PageRequest } from "@platform/kit";
import type { Pipeline, NewPipeline } from "../domain/pipeline";
import type { PipelineRepository } from "./pipelineRepository";

export class MemoryPipelineRepository implements PipelineRepository {
  private readonly table = new MemoryTable<Pipeline>();

  async create(pipeline: NewPipeline): Promise<Pipeline> {
    const now = new Date();
    return this.table.insert({ id: this.table.nextId(), name: pipeline.name, status: "PENDING", createdAt: now, updatedAt: now });
  }

  async get(id: number): Promise<Pipeline | undefined> {
    return this.table.get(id);
  }

  async listAfter(page: PageRequest): Promise<Pipeline[]> {
    return this.table.listAfter(page);
  }
}

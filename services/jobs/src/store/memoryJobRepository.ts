import { MemoryTable, type PageRequest } from "@platform/kit";
import type { Job, NewJob } from "../domain/job";
import type { JobRepository } from "./jobRepository";

export class MemoryJobRepository implements JobRepository {
  private readonly table = new MemoryTable<Job>();

  async create(job: NewJob): Promise<Job> {
    const now = new Date();
    return this.table.insert({ id: this.table.nextId(), name: job.name, status: "PENDING", createdAt: now, updatedAt: now });
  }

  async get(id: number): Promise<Job | undefined> {
    return this.table.get(id);
  }

  async listAfter(page: PageRequest): Promise<Job[]> {
    return this.table.listAfter(page);
  }
}

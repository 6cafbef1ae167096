import type { PageRequest } from "@platform/kit";
import type { Pipeline, NewPipeline } from "../domain/pipeline";

/** Where pipelines live. */
export interface PipelineRepository {
  create(pipeline: NewPipeline): Promise<Pipeline>;
  get(id: number): Promise<Pipeline | undefined>;
  /** Up to `limit + 1` pipelines with ids above the cursor, in id order. */
  listAfter(page: PageRequest): Promise<Pipeline[]>;
}

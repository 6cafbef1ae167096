import type { PageRequest } from "@platform/kit";
import type { Job, NewJob } from "../domain/job";

/** Where jobs live. */
export interface JobRepository {
  create(job: NewJob): Promise<Job>;
  get(id: number): Promise<Job | undefined>;
  /** Up to `limit + 1` jobs with ids above the cursor, in id order. */
  listAfter(page: PageRequest): Promise<Job[]>;
}

// The jobs this replica leased, as its claim left them: completing one needs no
// read first. Only a hint, never the truth: a completion writes the job at the
// version held here, so one that changed meanwhile (a heartbeat, a sweep, a cancel,
// another replica) fails that write and is read afresh; and an outcome other than
// success is only ever decided on a fresh read.
import type { Job } from "../domain/job";

/** Jobs held at most (leased and not completed yet): past it, the oldest are dropped, and read when completed. */
export const LEASED_JOBS_HELD = 4096;

export class LeasedJobs {
  private readonly jobs = new Map<number, Job>();

  constructor(private readonly capacity = LEASED_JOBS_HELD) {}

  get size(): number {
    return this.jobs.size;
  }

  /** Holds `job` without its payload, which no completion writes (so a held job costs a few hundred bytes). */
  hold(job: Job): void {
    this.jobs.delete(job.id);
    this.jobs.set(job.id, job.payload === null ? job : { ...job, payload: null });
    if (this.jobs.size > this.capacity) this.jobs.delete(this.jobs.keys().next().value!);
  }

  /** The job held under `id`, given out once. */
  take(id: number): Job | undefined {
    const job = this.jobs.get(id);
    if (job) this.jobs.delete(id);
    return job;
  }
}

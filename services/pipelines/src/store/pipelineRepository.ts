import type { PageRequest } from "@platform/kit";
import type { NewPipeline, Pipeline, PipelineStatus, Step } from "../domain/pipeline";

/** Where pipelines and their steps live. */
export interface PipelineRepository {
  /**
   * Inserts the pipeline and its steps (`created`), with `requestHash` beside its
   * idempotency key. When its owner already used that key, inserts nothing and
   * returns the pipeline created first (`created: false`).
   */
  create(
    pipeline: NewPipeline,
    requestHash: string | null,
    requestId: string,
    now: Date,
  ): Promise<{ pipeline: Pipeline; created: boolean }>;
  get(id: number): Promise<Pipeline | undefined>;
  /** Up to `limit + 1` pipelines with ids above the cursor, in id order, optionally of one status and one owner. */
  listAfter(page: PageRequest, status?: PipelineStatus, owner?: string): Promise<Pipeline[]>;
  /**
   * Writes the pipeline's status and its steps' status, job id and error, in one
   * transaction, only if the stored version is still `pipeline.version` (compare-
   * and-set): then bumps `pipeline.version` and returns true. False: someone
   * saved since it was read; nothing was written. `stored`: the steps as that
   * version holds them (as read, or as last saved); then only the steps that
   * differ from them are written.
   */
  save(pipeline: Pipeline, stored?: readonly Step[]): Promise<boolean>;
  /**
   * save() for a retried pipeline (domain retryPipeline): also writes its
   * `retries` count and marks it active again. The same compare-and-set.
   */
  saveRetry(pipeline: Pipeline): Promise<boolean>;
  /**
   * Takes or renews the pipeline's lease for `owner` until `now + leaseMs`, if it
   * is free, expired or already `owner`'s. True when `owner` holds it now.
   */
  claim(id: number, owner: string, now: number, leaseMs: number): Promise<boolean>;
  /** Gives the lease up, if `owner` still holds it. */
  release(id: number, owner: string): Promise<void>;
  /**
   * Deletes up to `limit` final pipelines with no work left (and their steps) last
   * changed before `cutoff`, oldest first; how many it deleted. Never an active one.
   */
  deleteFinishedBefore(cutoff: Date, limit: number): Promise<number>;
  /** Ids of pipelines with work left: not final, or final with steps whose jobs may still run. */
  activeIds(): Promise<number[]>;
}

// Test fixtures: a jobs server on an ephemeral port over a fresh database of the
// given backend with a typed client for it; and the use cases alone over SQL
// (one replica, no gRPC), with the new jobs and waits their suites share.
import * as grpc from "@grpc/grpc-js";
import { migrate, openDatabase, type Db, type RunningGrpcServer } from "@platform/kit";
import { call, eventually, quietLogger, TEST_SERVER_CONFIG } from "@platform/kit/testing";
import { createTestDatabaseUrl, type Backend } from "@platform/kit/testing/db";
import {
  jobs,
  type ClaimJobResponse__Output,
  type CompleteJobsResponse__Output,
  type CreateJobsResponse__Output,
  type Job__Output,
  type ListJobsResponse__Output,
  type RetryJobsResponse__Output,
} from "@platform/proto";
import type { JobsConfig } from "./config";
import { type NewJob, validateNewJob } from "./domain/job";
import { startJobsServer } from "./server";
import { JOBS_MIGRATIONS } from "./store/migrations";
import { SqlJobRepository } from "./store/sqlJobRepository";
import { JobService, type JobServiceOptions } from "./usecases/jobService";

export interface JobsFixture {
  server: RunningGrpcServer;
  client: grpc.Client;
  db: Db;
  /** The database, to start another server on the same data. */
  url: string;
  target: string;
  /** `owner` defaults to TEST_OWNER. */
  create(request: {
    job_name: string;
    kind?: string;
    payload?: string;
    max_attempts?: number;
    idempotency_key?: string;
    owner?: string;
    priority?: number;
    queue?: string;
    timeout_seconds?: number;
    backoff?: { initial_ms?: number; max_ms?: number; multiplier?: number };
  }): Promise<Job__Output>;
  get(id: string, owner?: string): Promise<Job__Output>;
  list(request: {
    page_size?: number;
    page_token?: string;
    status?: string;
    owner?: string;
    kind?: string;
    queue?: string;
  }): Promise<ListJobsResponse__Output>;
  /** CreateJobs; each item's `owner` defaults to TEST_OWNER. */
  createMany(items: Array<Record<string, unknown>>): Promise<CreateJobsResponse__Output>;
  /** A batch claim (max_jobs): every leased job with its own token; empty when nothing is ready. */
  claimMany(worker_id: string, max_jobs: number, kinds?: string[]): Promise<Lease[]>;
  /** The leased job and its lease token, or null when nothing is ready. */
  claim(worker_id: string, kinds?: string[], lease_seconds?: number): Promise<Lease | null>;
  heartbeat(job_id: string, lease_token: string, lease_seconds?: number): Promise<Job__Output>;
  complete(job_id: string, lease_token: string, result?: string): Promise<Job__Output>;
  fail(job_id: string, lease_token: string, error: string): Promise<Job__Output>;
  /** CompleteJobs: each item succeeds (result) or, with `failed`, fails (error). */
  completeMany(
    items: Array<{ job_id: string; lease_token: string; failed?: boolean; result?: string; error?: string }>,
    then_claim?: { worker_id: string; kinds?: string[]; max_jobs?: number; wait_ms?: number; lease_seconds?: number },
  ): Promise<CompleteJobsResponse__Output>;
  cancel(id: string, owner?: string): Promise<Job__Output>;
  retry(id: string, owner?: string): Promise<Job__Output>;
  retryMany(ids: string[], owner?: string): Promise<RetryJobsResponse__Output>;
  stop(): Promise<void>;
}

export interface Lease {
  job: Job__Output;
  lease_token: string;
}

export const TEST_OWNER = "tester";

export const FAST_JOBS_CONFIG: Partial<JobsConfig> = {
  JOBS_RETRY_BACKOFF_MS: 20,
  JOBS_LEASE_SWEEP_MS: 100,
  JOBS_WATCH_POLL_MS: 200,
};

export async function startJobsFixture(
  backend: Backend,
  overrides: Partial<JobsConfig> = {},
  url?: string,
): Promise<JobsFixture> {
  const databaseUrl = url ?? (await createTestDatabaseUrl(backend));
  const db = openDatabase("jobs", { url: databaseUrl, dataDir: "", poolSize: 16 });
  const server = await startJobsServer({ ...TEST_SERVER_CONFIG, ...FAST_JOBS_CONFIG, ...overrides }, quietLogger(), db);
  const target = `127.0.0.1:${server.port}`;
  const client = new jobs.JobsService(target, grpc.credentials.createInsecure());
  const rpc = <Res>(method: string, request: object) => call<object, Res>(client, method, request);
  return {
    server,
    client,
    db,
    url: databaseUrl,
    target,
    create: (request) => rpc("CreateJob", { owner: TEST_OWNER, ...request }),
    get: (id, owner = "") => rpc("GetJob", { id, owner }),
    list: (request) => rpc("ListJobs", request),
    createMany: (items) => rpc("CreateJobs", { jobs: items.map((item) => ({ owner: TEST_OWNER, ...item })) }),
    claimMany: async (worker_id, max_jobs, kinds = []) => {
      const { claimed } = await rpc<ClaimJobResponse__Output>("ClaimJob", {
        worker_id,
        kinds,
        lease_seconds: 30,
        max_jobs,
      });
      return claimed.map(({ job, lease_token }) => ({ job: job!, lease_token }));
    },
    claim: async (worker_id, kinds = [], lease_seconds = 30) => {
      const { job, lease_token } = await rpc<ClaimJobResponse__Output>("ClaimJob", { worker_id, kinds, lease_seconds });
      return job ? { job, lease_token } : null;
    },
    heartbeat: (job_id, lease_token, lease_seconds = 30) => rpc("Heartbeat", { job_id, lease_token, lease_seconds }),
    complete: (job_id, lease_token, result = "") => rpc("CompleteJob", { job_id, lease_token, result }),
    fail: (job_id, lease_token, error) => rpc("FailJob", { job_id, lease_token, error }),
    completeMany: (items, then_claim) => rpc("CompleteJobs", { items, then_claim }),
    cancel: (id, owner = "") => rpc("CancelJob", { id, owner }),
    retry: (id, owner = "") => rpc("RetryJob", { id, owner }),
    retryMany: (ids, owner = "") => rpc("RetryJobs", { ids, owner }),
    async stop() {
      client.close();
      await server.shutdown();
      await db.close();
    },
  };
}

/** A new job as the use cases take it: no payload, owner "tester", one attempt unless `extra` says otherwise. */
export function testNewJob(
  name: string,
  kind: string,
  extra: Partial<Parameters<typeof validateNewJob>[0]> = {},
): NewJob {
  return validateNewJob({ name, kind, payload: "", maxAttempts: 1, idempotencyKey: "", owner: "tester", ...extra });
}

export interface RunningJobService<R extends SqlJobRepository> {
  db: Db;
  repository: R;
  service: JobService;
  stop(): Promise<void>;
}

/**
 * The jobs use cases over SQL on `url` as one replica (migrated and started; no gRPC). The sweep runs only
 * when a test calls it unless `options.sweepIntervalMs` says otherwise; `repository` wraps the SQL one.
 */
export async function startJobService<R extends SqlJobRepository = SqlJobRepository>(
  url: string,
  options: Partial<JobServiceOptions> & { repository?: (db: Db) => R } = {},
): Promise<RunningJobService<R>> {
  const db = openDatabase("jobs", { url, dataDir: "", poolSize: 4 });
  await migrate(db, "jobs", JOBS_MIGRATIONS);
  const repository = options.repository?.(db) ?? (new SqlJobRepository(db) as R);
  const service = new JobService(
    repository,
    {
      retry: options.retry ?? { baseBackoffMs: 10, maxBackoffMs: 10 },
      sweepIntervalMs: options.sweepIntervalMs ?? 3_600_000,
    },
    quietLogger(),
  );
  await service.start();
  return {
    db,
    repository,
    service,
    async stop() {
      await service.stop();
      await db.close();
    },
  };
}

/** Resolves once `count` claims wait on `service`. */
export const waitingClaims = (service: JobService, count: number) =>
  eventually(async () => (service.waitingClaims === count ? true : undefined), 15_000, `${count} waiting claims`);

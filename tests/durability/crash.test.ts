// Crash safety: the jobs service and the users service as real processes, killed
// with SIGKILL in the middle of a write load, then restarted on the same data.
// Every write they acknowledged is there, nothing is half-written, and the jobs
// that were leased when it died come back to PENDING once their lease runs out.
// The users service's creates are transactions, grouped per event-loop turn on
// SQLite (kit's group commit): an acknowledged one was committed.
import { afterAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import { call } from "@platform/kit/testing";
import { createTestDatabaseUrl, TEST_BACKENDS } from "@platform/kit/testing/db";
import {
  jobs,
  users,
  type ClaimJobResponse__Output,
  type Job__Output,
  type ListJobsResponse__Output,
  type ListUsersResponse__Output,
  type User__Output,
} from "@platform/proto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startService, type RunningComponent } from "@platform/harness";
import { eventually } from "@platform/kit/testing";

// Real servers and processes start here; a loaded 2-core machine needs more than bun's 5 s default.
setDefaultTimeout(30_000);

const running: RunningComponent[] = [];
afterAll(async () => {
  await Promise.all(running.map((c) => c.stop("SIGKILL")));
});

/** A service's environment: on SQLite, the default file under a fresh DATA_DIR; on PostgreSQL, a fresh database. */
async function backendEnv(
  backend: (typeof TEST_BACKENDS)[number],
  extra: Record<string, string> = {},
): Promise<Record<string, string>> {
  const env: Record<string, string> = { HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "info", ...extra };
  if (backend === "sqlite") env.DATA_DIR = mkdtempSync(join(tmpdir(), "crash-"));
  else env.DATABASE_URL = await createTestDatabaseUrl("postgres");
  return env;
}

/** Starts the service on `env` (again, after a kill: the same data) and a client of it. */
function starter<C>(name: "jobs" | "users", env: Record<string, string>, connect: (address: string) => C) {
  return async () => {
    const service = await startService(name, env);
    running.push(service);
    return { service, client: connect(`127.0.0.1:${service.port}`) };
  };
}

/** Every item of a paged list, by id, following next-page tokens to the end. */
async function everyPage<T extends { id: string }>(
  page: (token: string) => Promise<{ items: T[]; next: string }>,
): Promise<Map<string, T>> {
  const items = new Map<string, T>();
  let token = "";
  do {
    const { items: batch, next } = await page(token);
    for (const item of batch) items.set(item.id, item);
    token = next;
  } while (token);
  return items;
}

describe.each(TEST_BACKENDS)("the jobs service killed mid-load on %s", (backend) => {
  test("keeps every acknowledged write, and leased jobs come back after their lease", async () => {
    const start = starter(
      "jobs",
      await backendEnv(backend, { JOBS_LEASE_SWEEP_MS: "200" }),
      (address) => new jobs.JobsService(address, grpc.credentials.createInsecure()),
    );

    let { service, client } = await start();
    // Leased before the crash, with a short lease: nobody will ever complete these.
    const leased: string[] = [];
    for (let i = 0; i < 5; i++) {
      await call(client, "CreateJob", { job_name: `leased ${i}`, kind: "crash-lease", owner: "crash-test" });
      const claimed = await call<object, ClaimJobResponse__Output>(client, "ClaimJob", {
        worker_id: "doomed",
        lease_seconds: 2,
        kinds: ["crash-lease"],
      });
      leased.push(claimed.job!.id);
    }

    // Write load from 8 concurrent writers; remember exactly what was acknowledged.
    const acknowledged = new Map<string, Job__Output>();
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const job = await call<object, Job__Output>(client, "CreateJob", {
            job_name: `w${w}-${i}`,
            kind: "crash-load",
            payload: JSON.stringify({ w, i, pad: "x".repeat(200) }),
            owner: "crash-test",
          });
          acknowledged.set(job.id, job);
        } catch {
          return; // the service is gone: this write was never acknowledged
        }
      }
    };
    const writers = Array.from({ length: 8 }, (_, w) => writer(w));
    await eventually(async () => (acknowledged.size >= 300 ? true : undefined), 20_000, "300 acknowledged writes");
    service.process.kill("SIGKILL");
    await service.process.exited;
    stop = true;
    await Promise.all(writers);
    client.close();
    expect(acknowledged.size).toBeGreaterThanOrEqual(300);

    ({ service, client } = await start());
    const stored = await everyPage((page_token) =>
      call<object, ListJobsResponse__Output>(client, "ListJobs", { page_size: 500, page_token }).then((p) => ({
        items: p.jobs,
        next: p.next_page_token,
      })),
    );
    for (const [id, job] of acknowledged) expect(stored.get(id)).toEqual(job);
    // Nothing half-written: every stored load job has its whole payload.
    for (const job of stored.values())
      if (job.kind === "crash-load") expect(JSON.parse(job.payload).pad).toHaveLength(200);

    for (const id of leased) {
      const back = await eventually(
        async () => {
          const job = await call<object, Job__Output>(client, "GetJob", { id });
          return job.status === "JOB_STATUS_PENDING" ? job : undefined;
        },
        20_000,
        `job ${id} to return to PENDING`,
      );
      expect(back).toMatchObject({ attempts: 1, worker_id: "" });
    }
    client.close();
    await service.stop("SIGTERM");
  }, 90_000);
});

describe.each(TEST_BACKENDS)("the users service killed mid-load on %s", (backend) => {
  test("keeps every acknowledged create; a duplicate email fails alone", async () => {
    const start = starter(
      "users",
      await backendEnv(backend),
      (address) => new users.UsersService(address, grpc.credentials.createInsecure()),
    );

    let { service, client } = await start();
    const taken = await call<object, User__Output>(client, "CreateUser", { name: "Taken", email: "taken@example.com" });

    // 16 concurrent writers; every fifth create reuses a taken email and must fail alone.
    const acknowledged = new Map<string, User__Output>();
    let duplicatesRefused = 0;
    let stop = false;
    let duplicatesAccepted = 0;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const duplicate = i % 5 === 4;
        let user: User__Output;
        try {
          user = await call<object, User__Output>(client, "CreateUser", {
            name: `Writer ${w} #${i}`,
            email: duplicate ? "taken@example.com" : `w${w}-${i}@example.com`,
          });
        } catch (error) {
          if (duplicate && (error as grpc.ServiceError).code === grpc.status.ALREADY_EXISTS) {
            duplicatesRefused++;
            continue;
          }
          return; // the service is gone: this create was never acknowledged
        }
        if (duplicate) duplicatesAccepted++;
        else acknowledged.set(user.id, user);
      }
    };
    const writers = Array.from({ length: 16 }, (_, w) => writer(w));
    await eventually(async () => (acknowledged.size >= 300 ? true : undefined), 20_000, "300 acknowledged creates");
    service.process.kill("SIGKILL");
    await service.process.exited;
    stop = true;
    await Promise.all(writers);
    client.close();
    expect(duplicatesRefused).toBeGreaterThan(0);
    expect(duplicatesAccepted).toBe(0);

    ({ service, client } = await start());
    const stored = await everyPage((page_token) =>
      call<object, ListUsersResponse__Output>(client, "ListUsers", { page_size: 500, page_token }).then((p) => ({
        items: p.users,
        next: p.next_page_token,
      })),
    );
    expect(stored.get(taken.id)).toEqual(taken);
    for (const [id, user] of acknowledged) expect(stored.get(id)).toEqual(user);
    // One user per email: the refused duplicates left nothing behind.
    expect([...stored.values()].filter((u) => u.email === "taken@example.com")).toHaveLength(1);
    client.close();
    await service.stop("SIGTERM");
  }, 90_000);
});

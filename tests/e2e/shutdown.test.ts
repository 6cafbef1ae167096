// Graceful rollout of one gateway replica, sent traffic directly: on SIGTERM
// /readyz turns 503 while it keeps serving for SHUTDOWN_DELAY_MS, then it stops
// listening, lets in-flight (slow) requests finish and exits 0 within the grace
// period. Not one request it accepted fails.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { startGrpcServer, type RunningGrpcServer } from "@platform/kit";
import { quietLogger } from "@platform/kit/testing";
import { jobs, pipelines, SERVICE_NAMES, users } from "@platform/proto";
import { type RunningComponent, startGateway, TEST_ENV } from "@platform/harness";

// These suites start real processes: bun's 5 s default (hooks included; bunfig's
// [test] timeout is not applied to them by bun 1.4.5) is too short on a loaded 2-core machine.
setDefaultTimeout(30_000);

const DELAY_MS = 1_500;
const SLOW_MS = 2_500;
const GRACE_MS = 10_000;

let upstream: RunningGrpcServer;
let gateway: RunningComponent;
const user = { id: "1", name: "Slow", email: "slow@example.com", created_at: { seconds: "0", nanos: 0 } };

beforeAll(async () => {
  // One in-test server answers for all three services; GetUser is deliberately slow.
  const list = async (_: unknown, callback: (e: null, r: object) => void) =>
    callback(null, { users: [user], jobs: [], pipelines: [], next_page_token: "" });
  const notFound = (_: unknown, callback: (e: object) => void) => callback({ code: 5, details: "nope" });
  upstream = await startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    shutdownTimeoutMs: 1_000,
    logger: quietLogger(),
    services: [
      {
        name: SERVICE_NAMES.users,
        definition: users.UsersService.service,
        implementation: {
          GetUser: (_: unknown, callback: (e: null, r: object) => void) =>
            void setTimeout(() => callback(null, user), SLOW_MS),
          ListUsers: list,
          CreateUser: notFound,
        },
      },
      {
        name: SERVICE_NAMES.jobs,
        definition: jobs.JobsService.service,
        implementation: { GetJob: notFound, ListJobs: list, CreateJob: notFound },
      },
      {
        name: SERVICE_NAMES.pipelines,
        definition: pipelines.PipelinesService.service,
        implementation: { GetPipeline: notFound, ListPipelines: list, CreatePipeline: notFound },
      },
    ],
  });
  const target = `127.0.0.1:${upstream.port}`;
  gateway = await startGateway("gateway-rollout", {
    ...TEST_ENV,
    USER_SERVICE_URL: target,
    JOBS_SERVICE_URL: target,
    PIPELINE_SERVICE_URL: target,
    SHUTDOWN_DELAY_MS: String(DELAY_MS),
    SHUTDOWN_TIMEOUT_MS: String(GRACE_MS - DELAY_MS - 1_000),
  });
});
afterAll(async () => {
  await gateway?.stop("SIGKILL");
  await upstream?.shutdown();
});

interface Outcome {
  sentAt: number;
  doneAt?: number;
  status?: number;
  error?: string;
}

describe("SIGTERM on a gateway replica under load", () => {
  test("fails readiness first, drains, loses no accepted request, exits 0 in the grace period", async () => {
    const base = `http://127.0.0.1:${gateway.port}`;
    const login = await fetch(`${base}/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password: "secret" }),
    });
    const headers = { authorization: `Bearer ${((await login.json()) as { access_token: string }).access_token}` };
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    const outcomes: Outcome[] = [];
    const send = async (path: string): Promise<Outcome> => {
      const outcome: Outcome = { sentAt: performance.now() };
      outcomes.push(outcome);
      try {
        const response = await fetch(`${base}${path}`, { headers, signal: AbortSignal.timeout(GRACE_MS) });
        outcome.status = response.status;
        await response.arrayBuffer();
      } catch (error) {
        outcome.error = String(error);
      }
      outcome.doneAt = performance.now();
      return outcome;
    };

    // Load: 4 workers, each at most 400 requests, until the replica stops answering.
    let stopLoad = false;
    const workers = Array.from({ length: 4 }, async () => {
      for (let i = 0; i < 400 && !stopLoad; i++) {
        const outcome = await send("/users/");
        if (outcome.error) await Bun.sleep(20);
      }
    });
    await Bun.sleep(200);

    const exited = gateway.process.exited;
    const signalledAt = performance.now();
    gateway.process.kill("SIGTERM");

    // Slow requests, accepted during the delay and still in flight when the drain starts.
    await Bun.sleep(100);
    const slowRequests = Promise.all([send("/users/1"), send("/users/2"), send("/users/3")]);

    // During the delay the replica still serves but says it is not ready.
    await Bun.sleep(200);
    const readiness = await fetch(`${base}/readyz`);
    expect(readiness.status).toBe(503);
    expect(((await readiness.json()) as { type: string }).type).toBe("urn:problem-type:not-ready");

    const slow = await slowRequests;
    const code = await exited;
    const exitedAt = performance.now();
    const exitedAfter = exitedAt - signalledAt;
    stopLoad = true;
    await Promise.all(workers);

    expect(code).toBe(0);
    expect(exitedAfter).toBeLessThan(GRACE_MS);
    // The drain waited for the slow requests: they were answered, and only then did the process exit.
    for (const outcome of slow) expect(outcome).toMatchObject({ status: 200 });
    expect(exitedAfter).toBeGreaterThan(DELAY_MS);
    for (const outcome of slow) expect(outcome.doneAt!).toBeLessThanOrEqual(exitedAt);
    expect(Math.max(...slow.map((o) => o.doneAt!)) - signalledAt).toBeGreaterThan(DELAY_MS);

    // Every request sent while the replica was still listening (before the delay ended) succeeded;
    // after that, new connections are refused, which a load balancer would have avoided.
    const listening = outcomes.filter((o) => o.sentAt < signalledAt + DELAY_MS - 500);
    expect(listening.length).toBeGreaterThan(20);
    const failed = listening.filter((o) => o.status !== 200);
    expect(failed).toEqual([]);
    // Nothing answered with an error status at any time: requests either succeeded or were never accepted.
    expect(outcomes.filter((o) => o.status !== undefined && o.status !== 200)).toEqual([]);
  }, 30_000);
});

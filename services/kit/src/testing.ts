// Helpers for tests that talk to a real gRPC server on an ephemeral port.
import { spyOn } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import { createLogger } from "./logger";
import { metricsRegistry } from "./metrics";

export const quietLogger = () => createLogger("test", process.env.TEST_LOG_LEVEL ?? "silent");

export const TEST_SERVER_CONFIG = {
  HOST: "127.0.0.1",
  PORT: 0,
  SHUTDOWN_TIMEOUT_MS: 2_000,
  SHUTDOWN_DELAY_MS: 0,
} as const;

type Callback<Res> = (error: grpc.ServiceError | null, response?: Res) => void;

/** Calls `client[method](request)` and resolves with the response or rejects with the ServiceError. */
export function call<Req, Res>(
  client: grpc.Client,
  method: string,
  request: Req,
  metadata: grpc.Metadata = new grpc.Metadata(),
): Promise<Res> {
  const fn = (
    client as unknown as Record<string, (r: Req, m: grpc.Metadata, o: grpc.CallOptions, cb: Callback<Res>) => void>
  )[method];
  if (!fn) throw new Error(`no method ${method}`);
  return new Promise((resolve, reject) =>
    fn.call(client, request, metadata, { deadline: Date.now() + 5_000 }, (error, response) =>
      error ? reject(error) : resolve(response as Res),
    ),
  );
}

/** The rejection of `promise` as a ServiceError (fails the test if it resolved). */
export async function grpcError(promise: Promise<unknown>): Promise<grpc.ServiceError> {
  try {
    await promise;
  } catch (error) {
    return error as grpc.ServiceError;
  }
  throw new Error("expected the call to fail");
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`: the tests' one polling loop. */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 15_000,
  what = "condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(25);
  }
}

/** A loopback port nothing listens on (bound once, then released): for "refused" and "starts later" cases. */
export function freePort(): number {
  const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const { port } = listener;
  listener.stop(true);
  return port;
}

/** The password_hashes gauge as /metrics shows it: argon2id runs in this process, running and waiting for a turn. */
export async function passwordHashesNow(): Promise<Record<string, number>> {
  const metric = await metricsRegistry.getSingleMetric("password_hashes")?.get();
  return Object.fromEntries((metric?.values ?? []).map((v) => [String(v.labels.state), v.value]));
}

/**
 * Counts Bun.password's hashes and checks in this process (`now` in flight, the `most`
 * at once, all `started`) around the real ones, until `restore()`: how a test sees
 * that password hashing takes turns, without timing it.
 */
export function countPasswordRuns() {
  const counts = { now: 0, most: 0, started: 0 };
  const counted =
    <A extends unknown[], R>(real: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      counts.now++;
      counts.started++;
      counts.most = Math.max(counts.most, counts.now);
      try {
        return await real(...args);
      } finally {
        counts.now--;
      }
    };
  const real = { hash: Bun.password.hash.bind(Bun.password), verify: Bun.password.verify.bind(Bun.password) };
  const spies = [
    spyOn(Bun.password, "hash").mockImplementation(counted(real.hash)),
    spyOn(Bun.password, "verify").mockImplementation(counted(real.verify)),
  ];
  return {
    counts,
    reset: () => Object.assign(counts, { now: 0, most: 0, started: 0 }),
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

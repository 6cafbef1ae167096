// The backend ceiling: direct grpc-js unary GetUser calls to the users service from
// a small Bun client, N calls in flight over one channel, for a fixed time.
// Each call carries a deadline and an x-request-id, as the gateway's calls do.
// Env: TARGET (host:port), CONCURRENCY, DURATION_S, WARMUP_S, USER_ID.
// Prints one line: BENCH_RESULT {requests, durationS, errors, latencies in ms}.
import * as grpc from "@grpc/grpc-js";
import { users } from "@platform/proto";

const target = process.env.TARGET ?? "127.0.0.1:50051";
const concurrency = Number(process.env.CONCURRENCY ?? 64);
const durationMs = Number(process.env.DURATION_S ?? 5) * 1000;
const warmupMs = Number(process.env.WARMUP_S ?? 1) * 1000;
const userId = process.env.USER_ID ?? "1";

const client = new grpc.Client(target, grpc.credentials.createInsecure());
const getUser = users.UsersService.service.GetUser;

function call(): Promise<boolean> {
  const metadata = new grpc.Metadata();
  metadata.set("x-request-id", crypto.randomUUID());
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      getUser.path,
      getUser.requestSerialize,
      getUser.responseDeserialize,
      { id: userId },
      metadata,
      { deadline: Date.now() + 5_000 },
      (error) => resolve(!error),
    );
  });
}

async function drive(untilMs: number, record: boolean, latencies: number[], counts: { ok: number; errors: number }) {
  while (performance.now() < untilMs) {
    const started = performance.now();
    const ok = await call();
    if (!record) continue;
    latencies.push(performance.now() - started);
    if (ok) counts.ok++;
    else counts.errors++;
  }
}

await new Promise<void>((resolve, reject) =>
  client.waitForReady(Date.now() + 5_000, (error) => (error ? reject(error) : resolve())),
);
const scratch = { ok: 0, errors: 0 };
await Promise.all(Array.from({ length: concurrency }, () => drive(performance.now() + warmupMs, false, [], scratch)));

const latencies: number[] = [];
const counts = { ok: 0, errors: 0 };
const started = performance.now();
await Promise.all(Array.from({ length: concurrency }, () => drive(started + durationMs, true, latencies, counts)));
const durationS = (performance.now() - started) / 1000;
client.close();

latencies.sort((a, b) => a - b);
const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
const ms = (v: number) => Math.round(v * 100) / 100;
const mean = latencies.reduce((s, v) => s + v, 0) / Math.max(1, latencies.length);
console.log(
  `BENCH_RESULT ${JSON.stringify({
    requests: counts.ok + counts.errors,
    durationS,
    errors: counts.errors,
    p50: ms(at(0.5)),
    p99: ms(at(0.99)),
    p999: ms(at(0.999)),
    max: ms(latencies.at(-1) ?? 0),
    mean: ms(mean),
  })}`,
);
process.exit(0);

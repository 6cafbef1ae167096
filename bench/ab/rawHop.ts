// A/B helper (not part of `bun run bench`): what the whole path would cost with
// the gateway → users hop made without grpc-js. One system as the bench starts
// it, its gateway replica (grpc-js, as shipped) beside a second replica whose
// kit ServiceClient makes unary calls straight on node:http2 (rawHopPreload.ts),
// both in front of the same users service (SQLite). GET /users/{id} and
// POST /users/ on each, interleaved, AB_REPEATS rounds of AB_SECONDS at
// AB_CONNECTIONS; prints req/s and CPU µs per request of the gateway and of the
// users service, medians per variant.
// Env: AB_SECONDS (4), AB_REPEATS (3), AB_CONNECTIONS (64).
import { join } from "node:path";
import { chooseLoadGenerator } from "../lib/loadgen";
import { cpuMs } from "../lib/processes";
import { median } from "../lib/report";
import { seed, workloadsFor } from "../lib/scenarios";
import { startBenchSystem, startExtraGateway } from "../lib/system";

const seconds = Number(process.env.AB_SECONDS ?? 4);
const repeats = Number(process.env.AB_REPEATS ?? 3);
const connections = Number(process.env.AB_CONNECTIONS ?? 64);

const system = await startBenchSystem({ gateways: 1 });
const raw = await startExtraGateway(system, "gateway-raw", ["--preload", join(import.meta.dir, "rawHopPreload.ts")]);
try {
  const load = chooseLoadGenerator(undefined, console.error);
  const workloads = workloadsFor(await seed(system.url));
  const gateways = {
    "grpc-js": { url: system.url, pid: system.gateways[0]!.pid },
    raw: { url: `http://127.0.0.1:${raw.port}`, pid: raw.pid },
  };
  // The raw replica answers the same as the shipped one.
  const [a, b] = await Promise.all(
    Object.values(gateways).map((g) =>
      fetch(`${g.url}${workloads.getUser.requests[0]!.path}`, { headers: workloads.getUser.headers }).then((r) =>
        r.json(),
      ),
    ),
  );
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`the replicas disagree: ${JSON.stringify([a, b])}`);

  const usersPid = system.services.users.pid;
  const rows: Record<string, { rps: number[]; gateway: number[]; users: number[] }> = {};
  const cpu = (pid: number) => cpuMs(pid) ?? Number.NaN;
  for (const g of Object.values(gateways))
    for (const key of ["getUser", "createUser"] as const)
      await load({ url: g.url, connections, durationS: 1, workload: workloads[key] }); // warm-up
  for (let round = 0; round < repeats; round++)
    for (const key of ["getUser", "createUser"] as const)
      for (const [name, g] of Object.entries(gateways)) {
        const before = [cpu(g.pid), cpu(usersPid)];
        const result = await load({ url: g.url, connections, durationS: seconds, workload: workloads[key] });
        const after = [cpu(g.pid), cpu(usersPid)];
        const row = (rows[`${key} ${name}`] ??= { rps: [], gateway: [], users: [] });
        row.rps.push(result.rps);
        row.gateway.push(((after[0]! - before[0]!) * 1000) / result.requests);
        row.users.push(((after[1]! - before[1]!) * 1000) / result.requests);
        if (result.errors > 0) console.error(`${key} ${name}: ${result.errors} errors`);
      }
  console.log("request variant        req/s   gateway µs/req   users µs/req");
  for (const [label, row] of Object.entries(rows))
    console.log(
      `${label.padEnd(22)} ${median(row.rps).toFixed(0).padStart(6)} ${median(row.gateway).toFixed(1).padStart(16)} ${median(row.users).toFixed(1).padStart(14)}`,
    );
} finally {
  await raw.stop();
  await system.stop();
}

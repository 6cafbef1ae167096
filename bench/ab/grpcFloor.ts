// A/B helper (not part of `bun run bench`): what one GetUser / CreateUser costs
// in CPU on each side of a grpc-js call, for a plain grpc-js client against the
// baselines' in-memory users service versus kit's ServiceClient against the real
// users service (SQLite), `kit-grpcjs` (kit's client with unary calls through
// grpc-js, as before its Http2Channel), and `raw` (the
// same exchange written straight onto node:http2: what grpc-js adds). Variants
// run interleaved, AB_REPEATS rounds; prints client and server CPU µs per call.
// Env: AB_SECONDS (3), AB_REPEATS (3), AB_INFLIGHT (64), AB_VARIANTS (client@server,
// server one of memory, ours, before), AB_METHODS (get,create), AB_BEFORE_ROOT (a
// checkout of the base commit with node_modules: its users service is "before").
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { freshBundle } from "@platform/kit/bundle";
import { COMPONENT_WORKSPACES, GRPC_READY } from "@platform/harness";
import { users } from "@platform/proto";
import { cpuMs, spawnReady } from "../lib/processes";

const ROOT = join(import.meta.dir, "..", "..");
const seconds = process.env.AB_SECONDS ?? "3";
const repeats = Number(process.env.AB_REPEATS ?? 3);
const inflight = process.env.AB_INFLIGHT ?? "64";
const variants = (process.env.AB_VARIANTS ?? "plain@memory,plain@ours,kit@ours,kit-grpcjs@ours,raw@ours").split(",");
const methods = (process.env.AB_METHODS ?? "get,create").split(",");

const dataDir = mkdtempSync(join(tmpdir(), "ab-grpc-"));
const servers = {
  memory: await spawnReady({
    name: "users-memory",
    cmd: [process.execPath, join(ROOT, "bench/baselines/users-memory.ts")],
    env: { ...process.env, PORT: "0" },
    readyMessage: "users-memory listening",
  }),
  ours: await spawnReady({
    name: "users",
    cmd: [process.execPath, await freshBundle(join(ROOT, COMPONENT_WORKSPACES.users))],
    env: { ...process.env, PORT: "0", METRICS_PORT: "0", DATA_DIR: dataDir, LOG_LEVEL: "warn", HOST: "127.0.0.1" },
    readyMessage: GRPC_READY,
  }),
};
const beforeRoot = process.env.AB_BEFORE_ROOT;
const beforeDir = mkdtempSync(join(tmpdir(), "ab-grpc-"));
const allServers: Record<string, Awaited<ReturnType<typeof spawnReady>>> = { ...servers };
if (beforeRoot)
  allServers.before = await spawnReady({
    name: "users-before",
    cmd: [process.execPath, await freshBundle(join(beforeRoot, COMPONENT_WORKSPACES.users))],
    env: { ...process.env, PORT: "0", METRICS_PORT: "0", DATA_DIR: beforeDir, LOG_LEVEL: "warn", HOST: "127.0.0.1" },
    readyMessage: GRPC_READY,
  });
// A user to read on our service (and the same first id on the one before).
const seedUser = async (port: number) => {
  const seed = new users.UsersService(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const made = await new Promise<{ id: string }>((resolve, reject) =>
    seed.CreateUser({ name: "Reader", email: "reader@example.com" }, (e, r) =>
      e ? reject(e) : resolve(r as { id: string }),
    ),
  );
  seed.close();
  return made;
};
const created = await seedUser(servers.ours.port);
if (allServers.before) await seedUser(allServers.before.port);

type Row = { client: number[]; server: number[]; rate: number[] };
const rows = new Map<string, Row>();
try {
  for (let r = 0; r < repeats; r++)
    for (const method of methods)
      for (const v of variants) {
        const [variant, where = "ours"] = v.split("@");
        const server = allServers[where]!;
        const id = where === "memory" ? "1" : created.id;
        const s0 = cpuMs(server.pid)!;
        const out =
          await Bun.$`${process.execPath} ${join(import.meta.dir, "grpcClient.ts")} 127.0.0.1:${server.port} ${variant} ${method} ${seconds} ${inflight} ${id}`.text();
        const s1 = cpuMs(server.pid)!;
        const { calls, totalCalls, cpuUs } = JSON.parse(out.trim().split("\n").at(-1)!);
        const key = `${method} ${v}`;
        const row = rows.get(key) ?? { client: [], server: [], rate: [] };
        row.client.push(cpuUs / calls);
        // The server also served the client's warm-up (and idles while the client starts): all its calls count.
        row.server.push(((s1 - s0) * 1000) / totalCalls);
        row.rate.push(calls / Number(seconds));
        rows.set(key, row);
      }
} finally {
  await Promise.all(Object.values(allServers).map((s) => s.stop()));
  for (const dir of [dataDir, beforeDir]) rmSync(dir, { recursive: true, force: true });
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log("method variant@server            calls/s   client µs/call   server µs/call");
for (const [key, row] of rows)
  console.log(
    `${key.padEnd(32)} ${median(row.rate).toFixed(0).padStart(8)} ${median(row.client).toFixed(1).padStart(14)} ${median(row.server).toFixed(1).padStart(14)}`,
  );

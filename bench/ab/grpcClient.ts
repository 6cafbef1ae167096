// One client process of grpcFloor.ts: `inflight` unary calls kept in flight for
// `seconds`, through either a plain grpc-js client (as the tutorial baseline makes
// it), kit's ServiceClient (as the gateway makes it: unary calls on its
// Http2Channel), `kit-grpcjs` (the same client with unary calls through grpc-js,
// as before the channel), or `raw`: the bare HTTP/2 exchange, the floor under any
// client. Prints {"calls": N, "totalCalls": N with the warm-up, "cpuUs": …} (its own user + system CPU).
// argv: target variant(plain|kit|kit-grpcjs|raw) method(get|create) seconds inflight id
import * as grpc from "@grpc/grpc-js";
import { ServiceClient } from "@platform/kit";
import { SERVICE_NAMES, users } from "@platform/proto";
import { type RawMethod, rawSessions, rawUnary } from "./rawUnary";

const [target = "", variant = "kit", method = "get", seconds = "3", inflight = "64", id = "1"] = process.argv.slice(2);
const service = users.UsersService.service;
let counter = 0;
const request = () =>
  method === "get" ? { id } : { name: "AB Writer", email: `ab-${process.pid}-${counter++}@example.com`, id: "0" };
const rpc = method === "get" ? "GetUser" : "CreateUser";

let call: () => Promise<unknown>;
if (variant === "raw") {
  // The floor under any gRPC client on this runtime (rawUnary.ts): what grpc-js itself costs per call.
  const session = rawSessions()(target);
  const method = (service as unknown as Record<string, RawMethod>)[rpc]!;
  call = () => rawUnary(session, method, request());
} else if (variant === "plain") {
  const client = new users.UsersService(target, grpc.credentials.createInsecure());
  type Unary = (request: unknown, options: grpc.CallOptions, done: (e: unknown, r: unknown) => void) => void;
  const c = client as unknown as Record<string, Unary>;
  call = () =>
    new Promise((resolve, reject) =>
      c[rpc]!(request(), { deadline: Date.now() + 5000 }, (e: unknown, r: unknown) => (e ? reject(e) : resolve(r))),
    );
} else {
  const kit = new ServiceClient(SERVICE_NAMES.users, target, service, { timeoutMs: 5000, waitForReady: false });
  // kit-grpcjs: the same ServiceClient with its Http2Channel taken away, so unary calls go through grpc-js as before.
  if (variant === "kit-grpcjs") Object.assign(kit, { channel: undefined });
  call = () => kit.call(rpc, request() as never, { requestId: "ab-request" });
}

// Warm up, then measure.
const runFor = async (ms: number) => {
  let calls = 0;
  let errors = 0;
  const end = performance.now() + ms;
  const worker = async () => {
    while (performance.now() < end) {
      try {
        await call();
        calls++;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: Number(inflight) }, worker));
  return { calls, errors };
};
const warm = await runFor(700);
const before = process.cpuUsage();
const { calls, errors } = await runFor(Number(seconds) * 1000);
const used = process.cpuUsage(before);
console.log(JSON.stringify({ calls, errors, totalCalls: warm.calls + calls, cpuUs: used.user + used.system }));
process.exit(0);

// Preloaded into one gateway replica by rawHop.ts (`bun --preload`): kit's
// ServiceClient.call makes its unary calls with rawUnary.ts, straight on one
// node:http2 session per upstream, instead of through grpc-js, sending the
// request id as the real client does. A measuring stick for what the hop would
// cost, not a client to ship (rawUnary.ts says what it leaves out).
import { REQUEST_ID_HEADER, ServiceClient } from "@platform/kit";
import { type RawMethod, rawSessions, rawUnary } from "./rawUnary";

const session = rawSessions();
const proto = ServiceClient.prototype as unknown as {
  call(
    this: { target: string; service: Record<string, RawMethod> },
    method: string,
    request: unknown,
    origin: { requestId: string },
  ): Promise<unknown>;
};
proto.call = function (method, request, origin) {
  return rawUnary(session(this.target), this.service[method]!, request, { [REQUEST_ID_HEADER]: origin.requestId });
};

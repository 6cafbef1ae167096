// Preloaded into one gateway replica by rawHop.ts (`bun --preload`): kit's
// ServiceClient.call makes its unary calls as the raw variant of grpcClient.ts
// does, straight on one node:http2 session per upstream, instead of through
// grpc-js. Only what the whole path's GET and POST need: the request id and
// deadline in headers, status from the trailers (an error carries code and
// details like a grpc.ServiceError). No retries, load balancing, keepalive, TLS
// or tracing: a measuring stick for what the hop would cost, not a client to ship.
import * as grpc from "@grpc/grpc-js";
import { REQUEST_ID_HEADER, ServiceClient } from "@platform/kit";
import { connect, type ClientHttp2Session } from "node:http2";

type Definition = { path: string; requestSerialize(v: unknown): Buffer; responseDeserialize(b: Buffer): unknown };
const sessions = new Map<string, ClientHttp2Session>();
const session = (target: string): ClientHttp2Session => {
  let found = sessions.get(target);
  if (!found || found.closed || found.destroyed) {
    found = connect(`http://${target.replace(/^dns:\/\/\//, "")}`);
    found.on("error", () => sessions.delete(target));
    found.on("close", () => sessions.delete(target));
    sessions.set(target, found);
  }
  return found;
};

const proto = ServiceClient.prototype as unknown as {
  call(
    this: { target: string; service: Record<string, Definition> },
    method: string,
    request: unknown,
    origin: { requestId: string },
  ): Promise<unknown>;
};
proto.call = function (method, request, origin) {
  const def = this.service[method]!;
  return new Promise((resolve, reject) => {
    const body = def.requestSerialize(request);
    const frame = Buffer.allocUnsafe(5 + body.length);
    frame[0] = 0;
    frame.writeUInt32BE(body.length, 1);
    body.copy(frame, 5);
    const stream = session(this.target).request({
      ":method": "POST",
      ":path": def.path,
      "content-type": "application/grpc",
      te: "trailers",
      "grpc-timeout": "5S",
      [REQUEST_ID_HEADER]: origin.requestId,
    });
    const chunks: Buffer[] = [];
    let status: { code: number; details: string } | undefined;
    const fromHeaders = (h: Record<string, unknown>) => {
      if (h["grpc-status"] !== undefined)
        status = { code: Number(h["grpc-status"]), details: decodeURIComponent(String(h["grpc-message"] ?? "")) };
    };
    stream.on("response", fromHeaders);
    stream.on("trailers", fromHeaders);
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => {
      if (status && status.code !== grpc.status.OK)
        return reject(Object.assign(new Error(status.details), { ...status, metadata: new grpc.Metadata() }));
      resolve(def.responseDeserialize(Buffer.concat(chunks).subarray(5)));
    });
    stream.on("error", (error) =>
      reject(
        Object.assign(error, { code: grpc.status.UNAVAILABLE, details: error.message, metadata: new grpc.Metadata() }),
      ),
    );
    stream.end(frame);
  });
};

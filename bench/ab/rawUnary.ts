// The floor under any gRPC client on Bun: one unary exchange (headers, one
// length-prefixed message, status from the response or the trailers) written
// straight onto a node:http2 session. No deadline timer, retries, balancing,
// keepalive, TLS or status details: what the A/B helpers (grpcClient.ts's `raw`
// variant, rawHopPreload.ts) measure grpc-js against, not a client to ship.
import * as grpc from "@grpc/grpc-js";
import { connect, type ClientHttp2Session } from "node:http2";

/** What a method definition of @platform/proto gives for the exchange. */
export interface RawMethod {
  path: string;
  requestSerialize(value: unknown): Buffer;
  responseDeserialize(bytes: Buffer): unknown;
}

/** One plaintext session per target ("host:port" or "dns:///host:port"), opened again after it closes. */
export function rawSessions(): (target: string) => ClientHttp2Session {
  const sessions = new Map<string, ClientHttp2Session>();
  return (target) => {
    let found = sessions.get(target);
    if (!found || found.closed || found.destroyed) {
      found = connect(`http://${target.replace(/^dns:\/\/\//, "")}`);
      found.on("error", () => sessions.delete(target));
      found.on("close", () => sessions.delete(target));
      sessions.set(target, found);
    }
    return found;
  };
}

/** Calls `method`; rejects with an Error carrying `code`, `details` and `metadata`, as a grpc.ServiceError does. */
export function rawUnary(
  session: ClientHttp2Session,
  method: RawMethod,
  request: unknown,
  headers: Record<string, string> = {},
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const body = method.requestSerialize(request);
    const frame = Buffer.allocUnsafe(5 + body.length);
    frame[0] = 0;
    frame.writeUInt32BE(body.length, 1);
    body.copy(frame, 5);
    const stream = session.request({
      ":method": "POST",
      ":path": method.path,
      "content-type": "application/grpc",
      te: "trailers",
      "grpc-timeout": "5S",
      ...headers,
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
      resolve(method.responseDeserialize(Buffer.concat(chunks).subarray(5)));
    });
    stream.on("error", (error) =>
      reject(
        Object.assign(error, { code: grpc.status.UNAVAILABLE, details: error.message, metadata: new grpc.Metadata() }),
      ),
    );
    stream.end(frame);
  });
}

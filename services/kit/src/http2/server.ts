// A gRPC server straight on node:http2, the serving sibling of Http2Channel:
// what grpc-js's server does for the calls our services serve (unary, server
// streams, and the bidi stream reflection uses), with mutual TLS, message
// limits, deadlines, cancellation, status details, a maximum connection age
// and the graceful drain shutdown relies on, at well under its CPU per call on
// Bun (bench/ab/grpcFloor.ts measures it). Handlers written for grpc-js
// (grpc-health-check's and @grpc/reflection's too) are added with addService()
// and run unchanged.
//
// This file: listening, connections, routing and shutdown. serverCall.ts: one call.
import * as grpc from "@grpc/grpc-js";
import {
  createSecureServer,
  createServer,
  constants as h2,
  type Http2SecureServer,
  type Http2Server,
  type IncomingHttpHeaders,
  type ServerHttp2Session,
  type ServerHttp2Stream,
} from "node:http2";
import type { GrpcTls } from "../grpcTls";
import { type CallLimits, type MethodType, respondWithStatus, type ServedMethod, ServerCall } from "./serverCall";

const Status = grpc.status;

export interface Http2ServerOptions extends CallLimits {
  /** A connection is asked to go away (GOAWAY) after about this long, ±10 %, so clients spread over new replicas. */
  maxConnectionAgeMs: number;
  /** ...and is closed this long after that, whatever is still running on it. */
  maxConnectionAgeGraceMs: number;
}

function methodType(definition: grpc.MethodDefinition<unknown, unknown>): MethodType {
  if (definition.requestStream) return definition.responseStream ? "bidi" : "clientStream";
  return definition.responseStream ? "serverStream" : "unary";
}

export class GrpcHttp2Server {
  private readonly methods = new Map<string, ServedMethod>();
  private readonly listeners = new Set<Http2Server | Http2SecureServer>();
  private readonly sessions = new Set<ServerHttp2Session>();
  private stopping = false;
  private drained: (() => void) | undefined;

  constructor(private readonly options: Http2ServerOptions) {}

  /** Serves a service's methods with these handlers (grpc.Server's addService, so health and reflection add themselves). */
  addService(definition: grpc.ServiceDefinition, implementation: grpc.UntypedServiceImplementation): void {
    for (const [name, method] of Object.entries(definition)) {
      const original = (method as { originalName?: string }).originalName;
      const handler = implementation[name] ?? (original === undefined ? undefined : implementation[original]);
      if (typeof handler !== "function") continue;
      if (this.methods.has(method.path)) throw new Error(`method ${method.path} is already served`);
      this.methods.set(method.path, {
        path: method.path,
        type: methodType(method),
        handler: handler as ServedMethod["handler"],
        deserialize: method.requestDeserialize as ServedMethod["deserialize"],
        serialize: method.responseSerialize as ServedMethod["serialize"],
      });
    }
  }

  /** Listens on host:port (0 picks a free port), with mutual TLS when `tls` is given; resolves to the port. */
  listen(host: string, port: number, tls?: GrpcTls | null): Promise<number> {
    const settings = { maxSendHeaderBlockLength: Number.MAX_SAFE_INTEGER, maxSessionMemory: Number.MAX_SAFE_INTEGER };
    const server = tls
      ? createSecureServer({
          ...settings,
          ca: tls.ca,
          cert: tls.cert,
          key: tls.key,
          requestCert: true,
          rejectUnauthorized: true,
        })
      : createServer(settings);
    // A client that fails the handshake or breaks the protocol loses its connection, nothing else.
    server.on("secureConnection", (socket) => socket.on("error", () => {}));
    server.on("tlsClientError", () => {});
    server.on("sessionError", () => {});
    server.setTimeout(0);
    server.on("session", (session) => this.onSession(session));
    server.on("stream", (stream, headers) => this.onStream(stream as ServerHttp2Stream, headers));
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        server.on("error", () => {});
        this.listeners.add(server);
        const address = server.address();
        resolve(typeof address === "object" && address ? address.port : port);
      });
    });
  }

  /** Stops accepting, asks every connection to go away, resolves once the calls on them are done. */
  tryShutdown(): Promise<void> {
    this.stopListening();
    return new Promise<void>((resolve) => {
      this.drained = resolve;
      for (const session of this.sessions) session.close();
      this.maybeDrained();
    });
  }

  /** Cuts every connection now: the calls still running end CANCELLED. */
  forceShutdown(): void {
    this.stopListening();
    // As grpc-js does it: the code in destroy()'s error place ends the connection with a GOAWAY(CANCEL).
    for (const session of this.sessions) session.destroy(h2.NGHTTP2_CANCEL as unknown as Error);
    this.sessions.clear();
    this.maybeDrained();
  }

  private stopListening(): void {
    this.stopping = true;
    for (const server of this.listeners) server.close();
    this.listeners.clear();
  }

  private maybeDrained(): void {
    if (this.sessions.size > 0 || !this.drained) return;
    const drained = this.drained;
    this.drained = undefined;
    drained();
  }

  private onSession(session: ServerHttp2Session): void {
    if (this.stopping) {
      session.destroy();
      return;
    }
    this.sessions.add(session);
    session.on("error", () => {});
    const { maxConnectionAgeMs, maxConnectionAgeGraceMs } = this.options;
    let grace: ReturnType<typeof setTimeout> | undefined;
    const age = setTimeout(
      () => {
        try {
          session.goaway(h2.NGHTTP2_NO_ERROR, 2 ** 31 - 1, Buffer.from("max_age"));
          session.close();
        } catch {
          session.destroy();
          return;
        }
        grace = setTimeout(() => session.destroy(), maxConnectionAgeGraceMs);
        grace.unref();
      },
      maxConnectionAgeMs * (0.9 + Math.random() * 0.2),
    );
    age.unref();
    session.on("close", () => {
      clearTimeout(age);
      if (grace) clearTimeout(grace);
      this.sessions.delete(session);
      this.maybeDrained();
    });
  }

  private onStream(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
    const contentType = headers[h2.HTTP2_HEADER_CONTENT_TYPE];
    if (typeof contentType !== "string" || !contentType.startsWith("application/grpc")) {
      stream.on("error", () => {});
      stream.respond({ [h2.HTTP2_HEADER_STATUS]: h2.HTTP_STATUS_UNSUPPORTED_MEDIA_TYPE }, { endStream: true });
      return;
    }
    const path = String(headers[h2.HTTP2_HEADER_PATH] ?? "");
    const method = this.methods.get(path);
    if (!method) {
      stream.on("error", () => {});
      respondWithStatus(stream, {
        code: Status.UNIMPLEMENTED,
        details: `The server does not implement the method ${path}`,
      });
      return;
    }
    const call = new ServerCall(stream, headers, method, this.options);
    if (method.type === "clientStream" || method.type === "bidi") call.run();
  }
}

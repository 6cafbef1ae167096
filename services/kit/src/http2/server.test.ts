// The gRPC server on node:http2, spoken to by grpc-js's client (an independent
// implementation of the protocol) and, for what no well-behaved client sends, by
// hand over node:http2: metadata both ways, statuses, deadlines, cancellation,
// limits, compression, streams, connection age and shutdown.
import { afterEach, describe, expect, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import { jobs, users } from "@platform/proto";
import { connect, type IncomingHttpHeaders } from "node:http2";
import { gzipSync } from "node:zlib";
import { call, eventually, grpcError } from "../testing";
import { GrpcHttp2Server, type Http2ServerOptions } from "./server";
import type { ServerCall } from "./serverCall";

const OPTIONS: Http2ServerOptions = {
  maxReceiveBytes: 1024,
  maxSendBytes: 4096,
  maxConnectionAgeMs: 5 * 60_000,
  maxConnectionAgeGraceMs: 30_000,
};

const running: GrpcHttp2Server[] = [];
const clients: grpc.Client[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  for (const server of running.splice(0)) server.forceShutdown();
});

type Respond = (error: unknown, value?: unknown, trailer?: grpc.Metadata) => void;

/** A users service whose GetUser is `getUser`, and a jobs service whose WatchJob is `watch`. */
async function serve(
  getUser: (call: ServerCall, respond: Respond) => void,
  watch: (call: ServerCall) => void = (c) => c.end(),
  options: Partial<Http2ServerOptions> = {},
) {
  const server = new GrpcHttp2Server({ ...OPTIONS, ...options });
  server.addService(users.UsersService.service, { GetUser: getUser as unknown as grpc.UntypedHandleCall });
  server.addService(jobs.JobsService.service, { WatchJob: watch as unknown as grpc.UntypedHandleCall });
  running.push(server);
  const port = await server.listen("127.0.0.1", 0);
  return { server, port };
}

function usersClient(port: number, options: grpc.ChannelOptions = {}) {
  const client = new users.UsersService(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), options);
  clients.push(client);
  return client;
}

const user = (id: string) => ({ id, name: `User ${id}`, email: `u${id}@example.com`, roles: [] });

/** One exchange written by hand: headers, these bytes, then what came back. */
function rawCall(port: number, headers: Record<string, string>, body: Buffer) {
  return new Promise<{ headers: IncomingHttpHeaders; trailers: IncomingHttpHeaders; data: Buffer }>(
    (resolve, reject) => {
      const session = connect(`http://127.0.0.1:${port}`);
      session.on("error", reject);
      const stream = session.request({
        ":method": "POST",
        ":path": "/users.v1.UsersService/GetUser",
        "content-type": "application/grpc",
        te: "trailers",
        ...headers,
      });
      let responseHeaders: IncomingHttpHeaders = {};
      let trailers: IncomingHttpHeaders = {};
      const chunks: Buffer[] = [];
      stream.on("response", (h) => (responseHeaders = h));
      stream.on("trailers", (t) => (trailers = t));
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("error", reject);
      stream.on("close", () => {
        session.close();
        resolve({ headers: responseHeaders, trailers, data: Buffer.concat(chunks) });
      });
      stream.end(body);
    },
  );
}

function frame(body: Buffer, compressed = false): Buffer {
  const out = Buffer.alloc(5 + body.length);
  out[0] = compressed ? 1 : 0;
  out.writeUInt32BE(body.length, 1);
  body.copy(out, 5);
  return out;
}

const getUserRequest = (id: string) =>
  (users.UsersService.service.GetUser.requestSerialize as (v: unknown) => Buffer)({ id });

/** The status of a raw exchange, from a trailers-only response or the trailers. */
const statusOf = (reply: { headers: IncomingHttpHeaders; trailers: IncomingHttpHeaders }) => {
  const source = reply.headers["grpc-status"] !== undefined ? reply.headers : reply.trailers;
  return { code: Number(source["grpc-status"]), details: decodeURIComponent(String(source["grpc-message"] ?? "")) };
};

describe("unary calls", () => {
  test("metadata reaches the handler; the answer, its headers and its trailers reach the client", async () => {
    let seen: Record<string, unknown> = {};
    const { port } = await serve((c, respond) => {
      seen = {
        id: (c.request as { id: string }).id,
        custom: c.metadata.get("x-custom")[0],
        bin: c.metadata.get("x-blob-bin")[0],
        // The transport's headers are not the caller's metadata.
        transport: ["te", "content-type", "grpc-accept-encoding", "grpc-timeout", ":path"].filter(
          (name) => c.metadata.get(name).length > 0,
        ),
        path: c.getPath(),
        peer: c.getPeer(),
        host: c.getHost(),
      };
      const headers = new grpc.Metadata();
      headers.set("x-answer", "early");
      c.sendMetadata(headers);
      const trailer = new grpc.Metadata();
      trailer.set("x-trailer", "97");
      respond(null, user("7"), trailer);
    });
    const client = usersClient(port);
    const metadata = new grpc.Metadata();
    metadata.set("x-custom", "hello");
    metadata.set("x-blob-bin", Buffer.from([0, 1, 2, 255]));
    const got = await new Promise<{ response: unknown; headers: grpc.Metadata; status: grpc.StatusObject }>(
      (resolve, reject) => {
        let headers = new grpc.Metadata();
        let response: unknown;
        const c = client.GetUser(
          { id: "7" },
          metadata,
          { deadline: Date.now() + 30_000 },
          (error: grpc.ServiceError | null, r: unknown) => (error ? reject(error) : (response = r)),
        );
        c.on("metadata", (m: grpc.Metadata) => (headers = m));
        c.on("status", (status: grpc.StatusObject) => resolve({ response, headers, status }));
      },
    );
    expect(seen).toEqual({
      id: "7",
      custom: "hello",
      bin: Buffer.from([0, 1, 2, 255]),
      transport: [],
      path: "/users.v1.UsersService/GetUser",
      peer: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      host: `127.0.0.1:${port}`,
    });
    expect(got.response).toMatchObject({ id: "7", name: "User 7" });
    expect(got.headers.get("x-answer")).toEqual(["early"]);
    expect(got.status.code).toBe(grpc.status.OK);
    expect(got.status.metadata.get("x-trailer")).toEqual(["97"]);
  });

  test("an error keeps its code, its (non-ASCII) details and its trailers; a bare Error is UNKNOWN", async () => {
    const { port } = await serve((c, respond) => {
      const id = (c.request as { id: string }).id;
      if (id === "1") {
        const metadata = new grpc.Metadata();
        metadata.set("x-why", "gone");
        return respond({ code: grpc.status.NOT_FOUND, details: "user 1 — not here ✓", metadata });
      }
      respond(new Error("plain failure"));
    });
    const client = usersClient(port);
    const notFound = await grpcError(call(client, "GetUser", { id: "1" }));
    expect([notFound.code, notFound.details]).toEqual([grpc.status.NOT_FOUND, "user 1 — not here ✓"]);
    expect(notFound.metadata.get("x-why")).toEqual(["gone"]);
    const unknown = await grpcError(call(client, "GetUser", { id: "2" }));
    expect([unknown.code, unknown.details]).toEqual([grpc.status.UNKNOWN, "plain failure"]);
  });

  test("a handler that throws ends its call UNKNOWN, and the server keeps serving", async () => {
    const { port } = await serve((c, respond) => {
      if ((c.request as { id: string }).id === "1") throw new Error("bug");
      respond(null, user("2"));
    });
    const client = usersClient(port);
    expect((await grpcError(call(client, "GetUser", { id: "1" }))).code).toBe(grpc.status.UNKNOWN);
    expect(await call(client, "GetUser", { id: "2" })).toMatchObject({ id: "2" });
  });

  test("past its deadline a call ends DEADLINE_EXCEEDED and the handler sees it cancelled", async () => {
    let served: ServerCall | undefined;
    const cancelled = Promise.withResolvers<void>();
    const { port } = await serve((c) => {
      served = c;
      c.on("cancelled", () => cancelled.resolve());
    });
    const client = usersClient(port);
    const deadline = Date.now() + 200;
    const failed = await grpcError(
      new Promise((resolve, reject) =>
        client.GetUser({ id: "1" }, new grpc.Metadata(), { deadline }, (e: unknown, r: unknown) =>
          e ? reject(e) : resolve(r),
        ),
      ),
    );
    expect(failed.code).toBe(grpc.status.DEADLINE_EXCEEDED);
    await cancelled.promise;
    expect(served?.cancelled).toBe(true);
    // grpc-timeout carries what was left: the server's deadline is the client's, plus the time the request took to arrive.
    const serverDeadline = served?.getDeadline() ?? Number.POSITIVE_INFINITY;
    expect(Number.isFinite(serverDeadline)).toBe(true);
    expect(serverDeadline).toBeGreaterThanOrEqual(deadline - 1);
  });

  test("a call the client cancels is cancelled on the server, and answering it later is harmless; an answered one never is", async () => {
    const events: string[] = [];
    const late: Respond[] = [];
    const { port } = await serve((c, respond) => {
      const id = (c.request as { id: string }).id;
      c.on("cancelled", () => events.push(`cancelled ${id}`));
      if (id === "1") respond(null, user("1"));
      else late.push(respond);
    });
    const client = usersClient(port);
    await call(client, "GetUser", { id: "1" });
    const pending = client.GetUser({ id: "2" }, () => {});
    await eventually(async () => (late.length === 1 ? true : undefined));
    pending.cancel();
    await eventually(async () => (events.includes("cancelled 2") ? true : undefined));
    expect(events).toEqual(["cancelled 2"]);
    expect(() => late[0]!(null, user("2"))).not.toThrow();
    expect(() => late[0]!({ code: grpc.status.INTERNAL, details: "late" })).not.toThrow();
    expect(await call(client, "GetUser", { id: "1" })).toMatchObject({ id: "1" });
  });

  test("a status message that is not well-formed UTF-16 still goes out, with U+FFFD in its place", async () => {
    const { port } = await serve((_c, respond) =>
      respond({ code: grpc.status.ABORTED, details: "half \ud800 a pair" }),
    );
    const failed = await grpcError(call(usersClient(port), "GetUser", { id: "1" }));
    expect([failed.code, failed.details]).toEqual([grpc.status.ABORTED, "half \ufffd a pair"]);
  });

  test("a request over the receive limit is RESOURCE_EXHAUSTED and never reaches the handler", async () => {
    let calls = 0;
    const { port } = await serve((_c, respond) => {
      calls++;
      respond(null, user("1"));
    });
    const client = new jobs.JobsService(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    clients.push(client);
    const reply = await rawCall(port, {}, frame(Buffer.alloc(2_000, 1)));
    expect(statusOf(reply)).toEqual({
      code: grpc.status.RESOURCE_EXHAUSTED,
      details: "Received message larger than max (2000 vs. 1024)",
    });
    expect(calls).toBe(0);
  });

  test("an answer over the send limit ends the call RESOURCE_EXHAUSTED", async () => {
    const { port } = await serve((_c, respond) => respond(null, { ...user("1"), name: "x".repeat(5_000) }));
    const failed = await grpcError(call(usersClient(port), "GetUser", { id: "1" }));
    expect(failed.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
  });

  test("gzip and deflate requests are read; an unknown encoding is UNIMPLEMENTED; a bomb RESOURCE_EXHAUSTED", async () => {
    const { port } = await serve((c, respond) => respond(null, user((c.request as { id: string }).id)));
    for (const algorithm of [1, 2]) {
      const client = usersClient(port, { "grpc.default_compression_algorithm": algorithm });
      expect(await call(client, "GetUser", { id: "5" })).toMatchObject({ id: "5" });
    }
    const brotli = await rawCall(port, { "grpc-encoding": "br" }, frame(Buffer.from([1, 2, 3]), true));
    expect(statusOf(brotli)).toEqual({
      code: grpc.status.UNIMPLEMENTED,
      details: 'Received message compressed with unsupported encoding "br"',
    });
    const bomb = await rawCall(port, { "grpc-encoding": "gzip" }, frame(gzipSync(Buffer.alloc(100_000)), true));
    expect(statusOf(bomb).code).toBe(grpc.status.RESOURCE_EXHAUSTED);
  });
});

describe("what no well-behaved client sends", () => {
  test("each bad request gets its status, and the server keeps serving", async () => {
    let calls = 0;
    const { port } = await serve((c, respond) => {
      calls++;
      respond(null, user((c.request as { id: string }).id));
    });
    const one = frame(getUserRequest("3"));
    const notGrpc = await rawCall(port, { "content-type": "application/json" }, Buffer.from("{}"));
    expect(Number(notGrpc.headers[":status"])).toBe(415);
    const cases: [Record<string, string>, Buffer, number, string][] = [
      [
        { ":path": "/users.v1.UsersService/Nope" },
        one,
        grpc.status.UNIMPLEMENTED,
        "The server does not implement the method /users.v1.UsersService/Nope",
      ],
      [
        {},
        Buffer.alloc(0),
        grpc.status.UNIMPLEMENTED,
        "Received no request message for server streaming method /users.v1.UsersService/GetUser",
      ],
      [
        {},
        Buffer.concat([one, one]),
        grpc.status.UNIMPLEMENTED,
        "Received a second request message for server streaming method /users.v1.UsersService/GetUser",
      ],
      [{}, one.subarray(0, one.length - 1), grpc.status.INTERNAL, "Truncated message frame"],
      [{}, frame(Buffer.from([0xff, 0xff, 0xff])), grpc.status.INTERNAL, "Error deserializing request"],
      [{ "grpc-timeout": "soon" }, one, grpc.status.INTERNAL, 'Invalid grpc-timeout value "soon"'],
    ];
    for (const [headers, body, code, details] of cases)
      expect(statusOf(await rawCall(port, headers, body))).toEqual({ code, details });
    expect(calls).toBe(0);
    const fine = await rawCall(port, {}, one);
    expect(statusOf(fine)).toEqual({ code: grpc.status.OK, details: "OK" });
    expect(calls).toBe(1);
  });
});

describe("server streams", () => {
  test("every message arrives, then OK with the trailers; an emitted error ends the stream with its code", async () => {
    const finished: string[] = [];
    const { port } = await serve(
      () => {},
      (c) => {
        const id = (c.request as { id: string }).id;
        c.on("finish", () => finished.push(id));
        for (let n = 0; n < 3; n++) c.write({ id, status: "JOB_STATUS_PENDING", attempts: n });
        if (id === "13") return c.emit("error", { code: grpc.status.FAILED_PRECONDITION, details: "no more" });
        const trailer = new grpc.Metadata();
        trailer.set("x-count", "3");
        c.end(trailer);
      },
    );
    const client = new jobs.JobsService(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    clients.push(client);
    const watch = (id: string) =>
      new Promise<{ seen: number[]; status: grpc.StatusObject }>((resolve) => {
        const seen: number[] = [];
        const stream = client.WatchJob({ id });
        stream.on("data", (job: { attempts: number }) => seen.push(job.attempts));
        stream.on("error", () => {});
        stream.on("status", (status: grpc.StatusObject) => resolve({ seen, status }));
      });
    const ok = await watch("12");
    expect(ok.seen).toEqual([0, 1, 2]);
    expect(ok.status.code).toBe(grpc.status.OK);
    expect(ok.status.metadata.get("x-count")).toEqual(["3"]);
    const bad = await watch("13");
    expect(bad.seen).toEqual([0, 1, 2]);
    expect([bad.status.code, bad.status.details]).toEqual([grpc.status.FAILED_PRECONDITION, "no more"]);
    await eventually(async () => (finished.length === 2 ? true : undefined));
  });
});

describe("streams of requests (no contract of ours has one; a service may)", () => {
  // A contract made by hand: messages are UTF-8 text.
  const text = { serialize: (value: string) => Buffer.from(value), deserialize: (bytes: Buffer) => bytes.toString() };
  const method = (name: string, requestStream: boolean, responseStream: boolean) => ({
    path: `/test.Text/${name}`,
    requestStream,
    responseStream,
    requestSerialize: text.serialize,
    requestDeserialize: text.deserialize,
    responseSerialize: text.serialize,
    responseDeserialize: text.deserialize,
  });
  const definition = { Join: method("Join", true, false), Echo: method("Echo", true, true) } as grpc.ServiceDefinition;

  test("a client stream's messages arrive in order and its answer goes back; a bidi stream answers each message", async () => {
    const server = new GrpcHttp2Server(OPTIONS);
    running.push(server);
    server.addService(definition, {
      Join: ((c: ServerCall, respond: Respond) => {
        const parts: string[] = [];
        c.on("data", (part: string) => parts.push(part));
        c.on("end", () => respond(null, parts.join(" ")));
      }) as unknown as grpc.UntypedHandleCall,
      Echo: ((c: ServerCall) => {
        c.on("data", (message: string) => c.write(message.toUpperCase()));
        c.on("end", () => c.end());
      }) as unknown as grpc.UntypedHandleCall,
    });
    const port = await server.listen("127.0.0.1", 0);
    const Client = grpc.makeGenericClientConstructor(definition, "Text");
    const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as grpc.Client &
      Record<
        string,
        (...args: unknown[]) => grpc.ClientWritableStream<string> & grpc.ClientDuplexStream<string, string>
      >;
    clients.push(client);

    const joined = await new Promise((resolve, reject) => {
      const join = client.Join!((error: unknown, answer: unknown) => (error ? reject(error) : resolve(answer)));
      for (const part of ["one", "two", "three"]) join.write(part);
      join.end();
    });
    expect(joined).toBe("one two three");

    const echoed = await new Promise<{ seen: string[]; code: number }>((resolve) => {
      const seen: string[] = [];
      const echo = client.Echo!();
      echo.on("data", (message: string) => seen.push(message));
      echo.on("error", () => {});
      echo.on("status", (status: grpc.StatusObject) => resolve({ seen, code: status.code }));
      for (const message of ["a", "b"]) echo.write(message);
      echo.end();
    });
    expect(echoed).toEqual({ seen: ["A", "B"], code: grpc.status.OK });
  });
});

describe("connections", () => {
  test("past the maximum age a connection is asked to go away: the call on it finishes, later calls use a new one", async () => {
    const peers = new Set<string>();
    let hold: Promise<void> | undefined;
    const { port } = await serve(
      (c, respond) => {
        peers.add(c.getPeer());
        const id = (c.request as { id: string }).id;
        if (id === "98" && hold) hold.then(() => respond(null, user(id)));
        else respond(null, user(id));
      },
      undefined,
      { maxConnectionAgeMs: 200, maxConnectionAgeGraceMs: 30_000 },
    );
    const client = usersClient(port);
    const release = Promise.withResolvers<void>();
    hold = release.promise;
    const slow = call(client, "GetUser", { id: "98" });
    await eventually(async () => (peers.size === 1 ? true : undefined));
    // Calls keep succeeding while the first connection ages out and another takes over.
    await eventually(async () => {
      await call(client, "GetUser", { id: "1" });
      return peers.size >= 2 ? true : undefined;
    }, 10_000);
    release.resolve();
    expect(await slow).toMatchObject({ id: "98" });
  });

  test("tryShutdown lets the call in flight finish and refuses new connections; forceShutdown cuts what is left", async () => {
    const release = Promise.withResolvers<void>();
    let arrived = 0;
    const { server, port } = await serve((c, respond) => {
      arrived++;
      const id = (c.request as { id: string }).id;
      if (id === "98") release.promise.then(() => respond(null, user(id)));
    });
    const client = usersClient(port);
    const slow = call(client, "GetUser", { id: "98" });
    const hanging = grpcError(call(client, "GetUser", { id: "99" }));
    await eventually(async () => (arrived === 2 ? true : undefined));
    let drained = false;
    const draining = server.tryShutdown().then(() => (drained = true));
    const late = usersClient(port, { "grpc.initial_reconnect_backoff_ms": 50 });
    expect((await grpcError(call(late, "GetUser", { id: "97" }))).code).toBe(grpc.status.UNAVAILABLE);
    release.resolve();
    expect(await slow).toMatchObject({ id: "98" });
    expect(drained).toBe(false);
    server.forceShutdown();
    await draining;
    expect((await hanging).code).toBe(grpc.status.UNAVAILABLE);
  });
});

// unary(): the call's child logger is made only when something is logged at an enabled level, and
// ctx.signal aborts only for a caller that gives up on an unanswered call.
import { expect, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import { EventEmitter } from "node:events";
import { Writable } from "node:stream";
import { createLogger } from "./logger";
import { REQUEST_ID_HEADER } from "./requestContext";
import { unary } from "./unary";

function capturingLogger(level: string) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const logger = createLogger("unary-test", level, sink);
  let children = 0;
  const child = logger.child.bind(logger);
  logger.child = ((...args: Parameters<typeof child>) => {
    children++;
    return child(...args);
  }) as typeof logger.child;
  return { logger, lines, children: () => children };
}

function serve(
  handler: grpc.handleUnaryCall<{ id: string }, { id: string }>,
): Promise<Partial<grpc.StatusObject> | null> {
  const call = Object.assign(new EventEmitter(), {
    metadata: new grpc.Metadata(),
    request: { id: "1" },
    cancelled: false,
    getDeadline: () => Number.POSITIVE_INFINITY,
  });
  call.metadata.set(REQUEST_ID_HEADER, "req-7");
  return new Promise((resolve) =>
    handler(call as never, (error) => resolve(error as Partial<grpc.StatusObject> | null)),
  );
}

test("a call that logs nothing builds no child logger", async () => {
  const { logger, children } = capturingLogger("info");
  const handler = unary("GetUser", logger, async (request: { id: string }) => request);
  expect(await serve(handler)).toBeNull();
  expect(children()).toBe(0);
});

test("ctx.logger carries the request id and the method, built once per call", async () => {
  const { logger, lines, children } = capturingLogger("info");
  const handler = unary("GetUser", logger, async (request: { id: string }, ctx) => {
    ctx.logger.info("first");
    ctx.logger.info("second");
    return request;
  });
  await serve(handler);
  expect(children()).toBe(1);
  expect(lines.map((l) => [l.msg, l.requestId, l.method])).toEqual([
    ["first", "req-7", "GetUser"],
    ["second", "req-7", "GetUser"],
  ]);
});

test("a failed call is logged with the request id even when the handler never logged", async () => {
  const { logger, lines } = capturingLogger("info");
  const handler = unary("GetUser", logger, async () => {
    throw new Error("boom");
  });
  const error = await serve(handler);
  expect(error?.code).toBe(grpc.status.INTERNAL);
  expect(lines).toContainEqual(expect.objectContaining({ msg: "call failed", requestId: "req-7", method: "GetUser" }));
});

test("an info line under LOG_LEVEL=warn builds no child logger", async () => {
  const { logger, lines, children } = capturingLogger("warn");
  const handler = unary("CreateUser", logger, async (request: { id: string }, ctx) => {
    ctx.logger.info({ userId: 1 }, "user created");
    return request;
  });
  expect(await serve(handler)).toBeNull();
  expect(children()).toBe(0);
  expect(lines).toEqual([]);
});

function cancellableCall() {
  return Object.assign(new EventEmitter(), {
    metadata: new grpc.Metadata(),
    request: { id: "1" },
    cancelled: false,
    getDeadline: () => Number.POSITIVE_INFINITY,
  });
}

test("ctx.signal aborts when the caller cancels an unanswered call, and not once it is answered", async () => {
  const { logger } = capturingLogger("warn");
  const signals: AbortSignal[] = [];
  let release = () => {};
  const handler = unary("ClaimJob", logger, async (request: { id: string }, ctx) => {
    signals.push(ctx.signal!);
    await new Promise<void>((resolve) => {
      release = resolve;
    });
    return request;
  });
  // Cancelled while the handler waits: aborted.
  const waiting = cancellableCall();
  handler(waiting as never, () => {});
  waiting.cancelled = true;
  waiting.emit("cancelled", "cancelled");
  expect(signals[0]!.aborted).toBe(true);
  release();
  // Answered, then grpc-js reports the stream's close as "cancelled": not aborted.
  const answered = cancellableCall();
  const done = new Promise((resolve) => handler(answered as never, resolve));
  release();
  await done;
  answered.emit("cancelled", "cancelled");
  expect(signals[1]!.aborted).toBe(false);
});

test("ctx.signal first read after the caller went away is already aborted", async () => {
  const { logger } = capturingLogger("warn");
  let aborted: boolean | undefined;
  const call = cancellableCall();
  let cancelNow = () => {};
  const handler = unary("GetUser", logger, async (request: { id: string }, ctx) => {
    await new Promise<void>((resolve) => {
      cancelNow = resolve;
    });
    aborted = ctx.signal?.aborted;
    return request;
  });
  const done = new Promise((resolve) => handler(call as never, resolve));
  call.cancelled = true;
  call.emit("cancelled", "cancelled");
  cancelNow();
  await done;
  expect(aborted).toBe(true);
});

test("a handler that stops because its caller went away ends CANCELLED, logged as no failure", async () => {
  const { logger, lines } = capturingLogger("info");
  const handler = unary("VerifyCredentials", logger, async (_request: { id: string }, ctx) => {
    const signal = ctx.signal!;
    await new Promise((resolve) => signal.addEventListener("abort", resolve));
    signal.throwIfAborted();
    return { id: "never" };
  });
  const call = cancellableCall();
  const answer = new Promise<Partial<grpc.StatusObject> | null>((resolve) =>
    handler(call as never, (error) => resolve(error as Partial<grpc.StatusObject> | null)),
  );
  await Bun.sleep(0);
  call.cancelled = true;
  call.emit("cancelled", "cancelled");
  expect((await answer)?.code).toBe(grpc.status.CANCELLED);
  expect(lines).toEqual([]);
});

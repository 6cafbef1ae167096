// unary(): the call's child logger is made only when the handler (or an error) uses it.
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

import { describe, expect, test } from "bun:test";
import { createLogger, lazyChild } from "./logger";

function capture() {
  const lines: string[] = [];
  const logger = createLogger("test", "trace", { write: (line: string) => void lines.push(line) });
  return { logger, lines };
}

describe("createLogger", () => {
  test("redacts passwords, tokens and authorization headers wherever callers put them", () => {
    const { logger, lines } = capture();
    logger.info(
      { password: "p1", access_token: "t1", headers: { authorization: "Bearer t2", cookie: "c" } },
      "top level",
    );
    logger.info(
      { body: { password: "p2", access_token: "t3" }, req: { headers: { authorization: "Bearer t4" } } },
      "nested",
    );
    const text = lines.join("");
    for (const secret of ["p1", "p2", "t1", "t2", "t3", "t4", "Bearer"]) expect(text).not.toContain(secret);
    expect(text).toContain("[redacted]");
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: "info", service: "test", msg: "top level" });
  });

  test("honours the level", () => {
    const lines: string[] = [];
    const logger = createLogger("test", "warn", { write: (line: string) => void lines.push(line) });
    logger.info("hidden");
    logger.warn("shown");
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(["shown"]);
  });
});

describe("lazyChild", () => {
  function counted(level: string) {
    const lines: string[] = [];
    const parent = createLogger("test", level, { write: (line: string) => void lines.push(line) });
    let children = 0;
    const child = parent.child;
    // pino's children inherit from their parent: `this` keeps a grandchild a child of its own parent.
    parent.child = function (this: typeof parent, ...args: Parameters<typeof child>) {
      children++;
      return child.apply(this, args);
    } as typeof parent.child;
    return { parent, lines, made: () => children };
  }

  test("makes no child while only disabled levels are used", () => {
    const { parent, lines, made } = counted("warn");
    const log = lazyChild(parent, () => ({ requestId: "r1" }));
    log.info({ userId: 1 }, "hidden");
    log.debug("hidden too");
    expect(made()).toBe(0);
    expect(lines).toEqual([]);
  });

  test("makes the child once, with its bindings and redaction, when an enabled level logs", () => {
    const { parent, lines, made } = counted("info");
    const log = lazyChild(parent, () => ({ requestId: "r1" }));
    log.info({ password: "p1" }, "first");
    log.warn("second");
    expect(made()).toBe(1);
    expect(lines.map((l) => JSON.parse(l))).toMatchObject([
      { requestId: "r1", msg: "first", password: "[redacted]" },
      { requestId: "r1", msg: "second" },
    ]);
    expect(log.isLevelEnabled("debug")).toBe(false);
    expect(log.child({ step: 2 }).bindings()).toMatchObject({ requestId: "r1", step: 2 });
  });
});

import { describe, expect, test } from "bun:test";
import { createLogger, lazyChild, perTurn, redact } from "./logger";

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

  test("redacts a child's bindings, and leaves the caller's objects as they were", () => {
    const { logger, lines } = capture();
    const fields = { user: { email: "a@example.com", password: "p1" }, headers: { Authorization: "Bearer t1" } };
    logger.child({ token: "t2" }).info(fields, "with secrets");
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ token: "[redacted]", user: { email: "a@example.com", password: "[redacted]" } });
    expect(line.headers.Authorization).toBe("[redacted]");
    expect(fields.user.password).toBe("p1");
    expect(fields.headers.Authorization).toBe("Bearer t1");
  });

  test("honours the level", () => {
    const lines: string[] = [];
    const logger = createLogger("test", "warn", { write: (line: string) => void lines.push(line) });
    logger.info("hidden");
    logger.warn("shown");
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(["shown"]);
  });
});

describe("redact", () => {
  test("is the same object when nothing in it is secret", () => {
    const line = { requestId: "r", method: "GET", status: 200, nested: { a: [1, { b: 2 }] } };
    expect(redact(line)).toBe(line);
  });

  test("censors secret keys in nested objects and arrays, down to four levels, copying only what changes", () => {
    const clean = { c: 1 };
    const input = {
      a: { b: [{ token: "t1" }, clean] },
      d: { e: { f: { g: { password: "too deep" } } } },
      other: clean,
    };
    const out = redact(input);
    expect(out).toEqual({
      a: { b: [{ token: "[redacted]" }, clean] },
      d: { e: { f: { g: { password: "too deep" } } } },
      other: clean,
    });
    expect(out.other).toBe(clean);
    expect(out.d).toBe(input.d);
    expect(input.a.b[0]).toEqual({ token: "t1" });
  });

  test("leaves class instances (errors, dates, buffers) to pino's serializers", () => {
    const error = Object.assign(new Error("boom"), { token: "kept for the serializer" });
    const when = new Date(0);
    const fields = { err: error, when };
    expect(redact(fields)).toBe(fields);
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

describe("perTurn", () => {
  test("hands the sink one write per turn of the event loop, lines in order", async () => {
    const writes: string[] = [];
    const out = perTurn({ write: (chunk: string) => writes.push(chunk) });
    out.write("a\n");
    out.write("b\n");
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual(["a\nb\n"]);
    out.write("c\n");
    out.flush();
    expect(writes).toEqual(["a\nb\n", "c\n"]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(2);
  });

  test("a process's log lines reach stdout while it runs, and every line logged before exit is written", async () => {
    const script = `
      import { createLogger } from ${JSON.stringify(`${import.meta.dir}/logger.ts`)};
      const logger = createLogger("t", "info");
      logger.info("first");
      for await (const _ of console) {
        for (let i = 0; i < 5000; i++) logger.info({ i }, "burst");
        process.exit(3);
      }`;
    const child = Bun.spawn([process.execPath, "-e", script], { stdin: "pipe", stdout: "pipe" });
    const reader = child.stdout.getReader();
    let seen = "";
    // The first line arrives while the child waits on stdin: nothing waits for exit or a full buffer.
    while (!seen.includes('"msg":"first"')) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += new TextDecoder().decode(value);
    }
    expect(seen).toContain('"msg":"first"');
    child.stdin.write("go\n");
    await child.stdin.end();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += new TextDecoder().decode(value);
    }
    expect(await child.exited).toBe(3);
    const lines = seen
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { msg: string; i?: number });
    expect(lines.filter((l) => l.msg === "burst").map((l) => l.i)).toEqual(Array.from({ length: 5000 }, (_, i) => i));
  });
});

// The process guard: a stray rejection or an uncaught exception is logged and
// the process keeps running (and still stops cleanly on SIGTERM).
import { expect, test } from "bun:test";
import { join } from "node:path";

const FIXTURE = `
import { createLogger, runProcess } from ${JSON.stringify(join(import.meta.dir, "index.ts"))};
await runProcess("guarded", async () => {
  const logger = createLogger("guarded", "info");
  setTimeout(() => Promise.reject(new Error("stray rejection")), 10);
  setTimeout(() => { throw new Error("stray exception"); }, 20);
  setTimeout(() => console.log(JSON.stringify({ msg: "still alive" })), 60);
  return { logger, stoppable: { shutdown: async () => console.log(JSON.stringify({ msg: "stopped" })) } };
});
`;

test("a stray rejection and an uncaught exception are logged; the process keeps running and stops cleanly", async () => {
  const script = join(import.meta.dir, `.guard-fixture-${process.pid}.ts`);
  await Bun.write(script, FIXTURE);
  try {
    const child = Bun.spawn(["bun", script], { stdout: "pipe", stderr: "pipe" });
    const lines: string[] = [];
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = "";
    while (!lines.some((line) => line.includes("still alive"))) {
      const { value, done } = await reader.read();
      if (done) break;
      buffered += value;
      lines.push(...buffered.split("\n").slice(0, -1));
      buffered = buffered.slice(buffered.lastIndexOf("\n") + 1);
    }
    expect(child.exitCode).toBeNull();
    const messages = lines.map((line) =>
      line.startsWith("{")
        ? (JSON.parse(line) as { msg: string; level?: string; err?: { message: string } })
        : undefined,
    );
    expect(messages).toContainEqual(
      expect.objectContaining({
        msg: "unhandled promise rejection; the process keeps running",
        err: expect.objectContaining({ message: "stray rejection" }),
      }),
    );
    expect(messages).toContainEqual(
      expect.objectContaining({
        msg: "uncaught exception; the process keeps running",
        err: expect.objectContaining({ message: "stray exception" }),
      }),
    );
    child.kill("SIGTERM");
    expect(await child.exited).toBe(0);
  } finally {
    await Bun.file(script).delete();
  }
});

const LIFELINE_FIXTURE = `
import { createLogger, runProcess } from ${JSON.stringify(join(import.meta.dir, "index.ts"))};
await runProcess("tethered", async () => {
  const logger = createLogger("tethered", "info");
  console.log(JSON.stringify({ msg: "ready" }));
  // Stands in for a server: something keeps the process alive, and says so.
  let ticks = 0;
  setInterval(() => console.log(JSON.stringify({ msg: "tick", n: ++ticks })), 20);
  return { logger, stoppable: { shutdown: async () => console.log(JSON.stringify({ msg: "stopped" })) } };
});
`;

async function startTethered(env: Record<string, string>) {
  const script = join(import.meta.dir, `.lifeline-fixture-${process.pid}-${Object.keys(env).length}.ts`);
  await Bun.write(script, LIFELINE_FIXTURE);
  const child = Bun.spawn(["bun", script], {
    stdin: "pipe",
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, ...env },
  });
  let seen = "";
  const waiting: { until: (text: string) => boolean; resolve: () => void }[] = [];
  const done = (async () => {
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      seen += chunk;
      for (const w of waiting.filter((w) => w.until(seen))) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve();
      }
    }
    return seen;
  })();
  /** Resolves once the output so far satisfies `until`. */
  const waitFor = (until: (text: string) => boolean) =>
    until(seen) ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ until, resolve }));
  await waitFor((text) => text.includes('"msg":"ready"'));
  return { child, waitFor, current: () => seen, output: () => done, cleanup: () => Bun.file(script).delete() };
}

const ticks = (text: string) => text.split('"msg":"tick"').length - 1;

test("under the launcher (PLATFORM_LIFELINE=stdin), the end of stdin stops the process as SIGTERM would", async () => {
  const { child, output, cleanup } = await startTethered({ PLATFORM_LIFELINE: "stdin" });
  try {
    child.stdin.end();
    expect(await child.exited).toBe(0);
    const text = await output();
    expect(text).toContain('"signal":"launcher gone"');
    expect(text).toContain('"msg":"stopped"');
  } finally {
    child.kill("SIGKILL");
    await cleanup();
  }
});

test("without it, stdin is not read: its end changes nothing", async () => {
  const { child, waitFor, current, output, cleanup } = await startTethered({});
  try {
    const seenBefore = ticks(current());
    child.stdin.end();
    // Three more ticks after the end of stdin: the process went on running.
    await waitFor((text) => ticks(text) >= seenBefore + 3);
    expect(child.exitCode).toBeNull();
    child.kill("SIGTERM");
    expect(await child.exited).toBe(0);
    const text = await output();
    expect(text).not.toContain("launcher gone");
    expect(text).toContain('"signal":"SIGTERM"');
  } finally {
    child.kill("SIGKILL");
    await cleanup();
  }
});

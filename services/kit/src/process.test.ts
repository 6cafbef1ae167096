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

// Reading a component's output: every line, in order, and in batches under load.
import { expect, test } from "bun:test";
import { BACKLOG_BYTES, readLines, readOutput, startComponent } from "./components";

const streamOf = (chunks: Uint8Array[]) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });

test("readLines gives every line in order, across chunks, and the unfinished last one", async () => {
  const bytes = new TextEncoder().encode("first\nsecond with é\nthird\nunfinished");
  // Split inside a line and inside the two bytes of "é".
  const at = [3, bytes.indexOf(0xa9)];
  const chunks = [bytes.subarray(0, at[0]), bytes.subarray(at[0], at[1]), bytes.subarray(at[1])];
  const lines: string[] = [];
  await readLines(
    streamOf(chunks),
    (line) => lines.push(line),
    async () => {},
  );
  expect(lines).toEqual(["first", "second with é", "third", "unfinished"]);
});

test("readLines pauses after each chunk, except one that says the pipe is filling up", async () => {
  const line = (text: string, size: number) => new TextEncoder().encode(`${text.padEnd(size - 1, ".")}\n`);
  const chunks = [line("a", 100), line("b", BACKLOG_BYTES), line("c", BACKLOG_BYTES - 1), line("d", 100)];
  const seen: string[] = [];
  await readLines(
    streamOf(chunks),
    (l) => seen.push(l[0]!),
    async () => seen.push("pause"),
  );
  expect(seen).toEqual(["a", "pause", "b", "c", "pause", "d", "pause"]);
});

test("readOutput: once the process has exited, its last lines are in", async () => {
  const proc = Bun.spawn(
    [
      process.execPath,
      "-e",
      "for (let i = 0; i < 1000; i++) console.log('line ' + i); console.error('the reason it stopped')",
    ],
    { stdout: "pipe", stderr: "pipe" },
  );
  const lines: string[] = [];
  const lastLines = readOutput(proc, (l) => lines.push(l));
  await proc.exited;
  await lastLines();
  expect(lines.filter((l) => l.startsWith("line "))).toEqual(Array.from({ length: 1000 }, (_, i) => `line ${i}`));
  expect(lines).toContain("the reason it stopped");
});

test("a process that exits before it is ready is reported with its last lines", async () => {
  const script =
    "console.log('starting'); setTimeout(() => { console.log('the reason it stopped'); process.exit(3); }, 1)";
  const failure = await startComponent({
    name: "early-exit",
    command: [process.execPath, "-e", script],
    readyMessage: "never said",
    env: {},
  }).then(
    () => undefined,
    (error: Error) => error,
  );
  expect(failure?.message).toContain("early-exit exited with code 3 before it was ready");
  expect(failure?.message).toContain("the reason it stopped");
});

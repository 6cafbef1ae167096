// Runs every bun:test suite in the repository and ends with the plain count
// line CI reads: "N passed, N failed". Arguments are passed to `bun test`.
export {};

const proc = Bun.spawn([process.execPath, "test", "--timeout=30000", ...process.argv.slice(2)], {
  stdout: "inherit",
  stderr: "pipe",
  env: { ...process.env, FORCE_COLOR: "0" },
});

// bun test writes its results to stderr: pass them through and keep the tally.
let passed = 0;
let failed = 0;
const decoder = new TextDecoder();
let pending = "";
for await (const chunk of proc.stderr) {
  const text = decoder.decode(chunk, { stream: true });
  process.stderr.write(text);
  pending += text;
  const lines = pending.split("\n");
  pending = lines.pop() ?? "";
  for (const line of lines) {
    const match = /^\s*(\d+) (pass|fail)$/.exec(line);
    if (match) match[2] === "pass" ? (passed += Number(match[1])) : (failed += Number(match[1]));
  }
}
const code = await proc.exited;
// A run that crashed before its summary counts as a failure, not as zero tests.
if (code !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(code);

// The whole workspace typechecks (strict), as part of the test suite.
import { expect, test } from "bun:test";
import { join } from "node:path";

test("tsc finds no type errors", async () => {
  const root = join(import.meta.dir, "..");
  const proc = Bun.spawn([join(root, "node_modules/.bin/tsc"), "-p", root], {
    cwd: root,
    stdout: "pipe",
    stderr: "pipe",
  });
  const output = await new Response(proc.stdout).text();
  expect(output).toBe("");
  expect(await proc.exited).toBe(0);
}, 120_000);

// The whole workspace typechecks (strict), as part of the test suite.
import { expect, test } from "bun:test";
import { join } from "node:path";

const root = join(import.meta.dir, "..");

async function tsc(project: string) {
  const proc = Bun.spawn([join(root, "node_modules/.bin/tsc"), "-p", project], {
    cwd: root,
    stdout: "pipe",
    stderr: "pipe",
  });
  const output = await new Response(proc.stdout).text();
  expect(output).toBe("");
  expect(await proc.exited).toBe(0);
}

test("tsc finds no type errors", () => tsc(root), 120_000);

// A browser program with its own settings (DOM, JSX), typed by @platform/client's models.
test("the console typechecks (gateway/console/tsconfig.json)", () => tsc(join(root, "gateway", "console")), 120_000);

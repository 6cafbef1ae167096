// Formatting and lint (Biome, pinned; rules in biome.json) as part of the test
// suite: `bun run format` rewrites, `bun run lint` shows what this test would fail on.
import { expect, test } from "bun:test";
import { join } from "node:path";

test("biome finds nothing to format and no lint finding, warnings included", async () => {
  const root = join(import.meta.dir, "..");
  const proc = Bun.spawn([join(root, "node_modules/.bin/biome"), "ci", "--error-on-warnings", "--colors=off", "."], {
    cwd: root,
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  const code = await proc.exited;
  if (code !== 0) console.error(out, err);
  expect(code).toBe(0);
}, 60_000);

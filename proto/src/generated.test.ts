// The committed types are exactly what the generator makes from the .proto files.
import { expect, test } from "bun:test";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

async function files(dir: string): Promise<Map<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const result = new Map<string, string>();
  for (const entry of entries.filter((e) => e.isFile())) {
    const path = join(entry.parentPath, entry.name);
    result.set(relative(dir, path), await readFile(path, "utf8"));
  }
  return result;
}

test("src/generated is up to date with the .proto files (run `bun run proto:gen`)", async () => {
  const fresh = await mkdtemp(join(tmpdir(), "proto-gen-"));
  try {
    const proc = Bun.spawn([process.execPath, join(import.meta.dir, "../scripts/gen.ts"), fresh], {
      stdout: "ignore",
      stderr: "pipe",
    });
    expect(await proc.exited).toBe(0);
    const [expected, committed] = await Promise.all([files(fresh), files(join(import.meta.dir, "generated"))]);
    expect([...committed.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [path, content] of expected) expect({ path, content: committed.get(path) }).toEqual({ path, content });
  } finally {
    await rm(fresh, { recursive: true, force: true });
  }
});

// The client's main entry is for browsers too (the console): bundled for the
// browser it holds Eden and our own few files, and nothing of the gateway, of
// Elysia or of Node; and it typechecks in a browser program (DOM, no Bun types).
import { expect, test } from "bun:test";
import { join, relative, resolve } from "node:path";

const ROOT = join(import.meta.dir, "..", "..");

test("the browser bundle of @platform/client holds no gateway, Elysia or node code", async () => {
  const result = await Bun.build({
    entrypoints: [join(import.meta.dir, "index.ts")],
    target: "browser",
    minify: true,
    metafile: true,
  });
  expect(result.success).toBe(true);
  // Relative to the working folder: made relative to the repository.
  const inputs = Object.keys(result.metafile?.inputs ?? {}).map((path) => relative(ROOT, resolve(path)));
  expect(inputs).toContain("client/src/api.ts");
  expect(inputs.some((path) => path.includes("@elysiajs/eden"))).toBe(true);
  const foreign = inputs.filter(
    (path) =>
      path.startsWith("gateway/") || /node_modules\/(elysia|@sinclair)\//.test(path) || path.startsWith("node:"),
  );
  expect(foreign).toEqual([]);
  expect(inputs.filter((path) => path.startsWith("client/src/cli/"))).toEqual([]);
  const [output] = result.outputs;
  expect(await output!.text()).not.toMatch(/\bfrom\s*"node:|require\("node:/);
});

test("the main entry typechecks as a browser program (tsconfig.browser.json)", async () => {
  const tsc = Bun.spawn(
    [join(ROOT, "node_modules/.bin/tsc"), "-p", join(import.meta.dir, "..", "tsconfig.browser.json")],
    {
      cwd: ROOT,
      stdout: "pipe",
      stderr: "pipe",
    },
  );
  expect(await new Response(tsc.stdout).text()).toBe("");
  expect(await tsc.exited).toBe(0);
}, 180_000);

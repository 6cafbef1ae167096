// A profile's frames land in their packages, also where bun names a package's frame
// by the bundle's line (the bundles' maps cover only the repository's own sources).
import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { BundleModules, packageOf, summariseProfile } from "./profile";

const dir = mkdtempSync(join(tmpdir(), "bench-profile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BUNDLE_TEXT = [
  "// @bun",
  "var __create = Object.create;",
  "// node_modules/.bun/@grpc+grpc-js@1.14.7/node_modules/@grpc/grpc-js/build/src/metadata.js",
  "function validate() {}",
  "// node_modules/.bun/elysia@1.4.30/node_modules/elysia/dist/bun/index.mjs",
  "function handle() {}",
  "// services/kit/src/client.ts",
  "function call() {}",
].join("\n");

describe("a bundle's modules", () => {
  const modules = new BundleModules(BUNDLE_TEXT);

  test("each line belongs to the module whose header comes last before it", () => {
    expect(modules.at(0)).toBeUndefined();
    expect(modules.at(1)).toBeUndefined();
    expect(modules.at(3)).toBe(
      "node_modules/.bun/@grpc+grpc-js@1.14.7/node_modules/@grpc/grpc-js/build/src/metadata.js",
    );
    expect(modules.at(5)).toEndWith("elysia/dist/bun/index.mjs");
    expect(modules.at(99)).toBe("services/kit/src/client.ts");
  });

  test("a profile charges a package's frame in the bundle to that package", () => {
    const bundle = join(dir, "gateway", "dist", "main.js");
    mkdirSync(join(dir, "gateway", "dist"), { recursive: true });
    writeFileSync(bundle, BUNDLE_TEXT);
    const url = pathToFileURL(bundle).href;
    const source = pathToFileURL(join(dir, "gateway", "src", "app.ts")).href;
    const frame = (id: number, functionName: string, frameUrl: string, lineNumber: number) => ({
      id,
      callFrame: { functionName, url: frameUrl, lineNumber, columnNumber: 0 },
    });
    const profile = {
      nodes: [
        frame(1, "(root)", "", -1),
        frame(2, "validate", url, 3),
        frame(3, "handle", url, 5),
        frame(4, "route", source, 10),
        frame(5, "", url, 3),
        frame(6, "", "", -1),
      ],
      samples: [2, 2, 3, 4, 5, 6],
      timeDeltas: [1000, 1000, 1000, 1000, 1000, 1000],
      startTime: 0,
      endTime: 6000,
    };
    const path = join(dir, "p.cpuprofile");
    writeFileSync(path, JSON.stringify(profile));
    const summary = summariseProfile(path);
    // An anonymous function counts where it is: in its package, or the runtime's when it has no file.
    expect(summary.byPackage).toEqual([
      { name: "@grpc/grpc-js", selfMs: 3, selfPct: 50 },
      { name: "elysia", selfMs: 1, selfPct: 16.7 },
      { name: "gateway/app.ts", selfMs: 1, selfPct: 16.7 },
      { name: "(native / runtime)", selfMs: 1, selfPct: 16.7 },
    ]);
    expect(summary.topFunctions[0]).toMatchObject({ name: "validate", where: "src/metadata.js:4 (bundle)" });
    expect(summary.topFunctions.find((f) => f.name === "route")?.where).toBe("src/app.ts:11");
  });

  test("a package's path names the package; the repository's, its folder", () => {
    expect(packageOf("node_modules/.bun/@grpc+grpc-js@1.14.7/node_modules/@grpc/grpc-js/build/src/metadata.js")).toBe(
      "@grpc/grpc-js",
    );
    expect(packageOf("file:///work/main/services/kit/src/client.ts")).toBe("services/kit");
    expect(packageOf("")).toBe("(native / runtime)");
  });
});

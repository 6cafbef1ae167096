// Each image's install stage, replayed without a Docker engine: the files its
// COPY lines bring (what .dockerignore lets through) go into an empty
// directory, and its `bun install` line runs there. A workspace manifest the
// lockfile needs but the stage does not copy fails here as it would in
// `docker build` ("listed in bun.lock but not on disk").
import { afterAll, describe, expect, test } from "bun:test";
import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { readRepoFile, repoPath } from "./support/repo";

const DOCKERFILES = [
  "gateway/Dockerfile",
  "services/users/Dockerfile",
  "services/jobs/Dockerfile",
  "services/pipelines/Dockerfile",
  "worker/Dockerfile",
];

interface InstallStage {
  copies: { sources: string[]; destination: string }[];
  run: string[];
}

/** The COPY (from the build context) and RUN lines of the stage named `install`. */
export function installStage(text: string): InstallStage {
  const lines = text.split("\n").filter((line) => line.trim() && !line.trimStart().startsWith("#"));
  const start = lines.findIndex((line) => /^FROM\s+\S+\s+AS\s+install$/i.test(line.trim()));
  if (start < 0) throw new Error("no stage named install");
  const end = lines.findIndex((line, i) => i > start && /^FROM\s/i.test(line));
  const stage = lines.slice(start + 1, end < 0 ? undefined : end);
  const copies = stage
    .filter((line) => /^COPY\s/i.test(line) && !/--from=/.test(line))
    .map((line) => {
      const words = line.trim().split(/\s+/).slice(1);
      return { sources: words.slice(0, -1), destination: words.at(-1) as string };
    });
  const run = stage.filter((line) => /^RUN\s/i.test(line)).map((line) => line.trim().replace(/^RUN\s+/i, ""));
  return { copies, run };
}

/** Whether .dockerignore keeps `path` out of the build context (last matching rule wins, `!` re-includes). */
export function ignored(path: string, rules: string[]): boolean {
  const prefixes = path.split("/").map((_, i, parts) => parts.slice(0, i + 1).join("/"));
  let out = false;
  for (const rule of rules) {
    const negated = rule.startsWith("!");
    const glob = new Bun.Glob(negated ? rule.slice(1) : rule);
    if (prefixes.some((prefix) => glob.match(prefix))) out = !negated;
  }
  return out;
}

const rules = readRepoFile(".dockerignore")
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith("#"));

const work = mkdtempSync(join(tmpdir(), "docker-install-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe(".dockerignore rules", () => {
  test("match a path or any folder above it, and a later ! rule lets it back in", () => {
    expect(ignored("bench/package.json", ["bench"])).toBe(true);
    expect(ignored("bench/package.json", ["bench", "!bench/package.json"])).toBe(false);
    expect(ignored("gateway/src/a.test.ts", ["**/*.test.ts"])).toBe(true);
    expect(ignored("gateway/package.json", ["bench", "**/*.test.ts"])).toBe(false);
  });
});

describe.each(DOCKERFILES)("%s", (dockerfile) => {
  test("its install stage succeeds on what the build context holds (frozen lockfile)", () => {
    const stage = installStage(readRepoFile(dockerfile));
    expect(stage.run.some((command) => command.startsWith("bun install --frozen-lockfile"))).toBe(true);
    const root = join(work, dockerfile.replaceAll("/", "_"));
    for (const { sources, destination } of stage.copies) {
      for (const source of sources) {
        expect({ source, ignored: ignored(source, rules) }).toEqual({ source, ignored: false });
        const target = destination.endsWith("/") ? join(root, destination, basename(source)) : join(root, destination);
        mkdirSync(dirname(target), { recursive: true });
        cpSync(repoPath(source), target);
      }
    }
    for (const command of stage.run) {
      const result = Bun.spawnSync(["sh", "-c", command], { cwd: root, stdout: "pipe", stderr: "pipe" });
      expect({ command, exitCode: result.exitCode, output: `${result.stdout}${result.stderr}`.trim() }).toMatchObject({
        command,
        exitCode: 0,
      });
    }
  }, 120_000);
});

// An image built without a Docker engine: each stage's COPY lines (what
// .dockerignore lets through, or from an earlier stage) into a folder that stands
// for its filesystem root (the same folder for every stage, as every stage is at /
// in Docker) and its RUN lines run there, in their order, build args written in.
// Enough for the images of this repository (ARG, WORKDIR /app, COPY and RUN, no
// shell tricks), not a Dockerfile interpreter.
import { cpSync, mkdirSync, renameSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { dockerfileText, type ImageBuild } from "./imageBuilds";
import { readRepoFile, repoPath } from "./repo";

/** A COPY or RUN line, with the WORKDIR in force at it. */
type Step =
  | { copy: { from?: string; sources: string[]; destination: string }; workdir: string }
  | { run: string; workdir: string };

export interface Stage {
  name: string;
  /** Its COPY and RUN lines, in order. */
  steps: Step[];
  workdir: string;
  cmd: string[];
}

/** The stages of a Dockerfile, in order. */
export function stages(text: string): Stage[] {
  const lines = text.split("\n").filter((line) => line.trim() && !line.trimStart().startsWith("#"));
  const result: Stage[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    const [instruction = "", ...words] = line.split(/\s+/);
    const stage = result.at(-1);
    switch (instruction.toUpperCase()) {
      case "FROM":
        result.push({ name: words[2] ?? String(result.length), steps: [], workdir: "/", cmd: [] });
        break;
      case "COPY": {
        const from = words.find((w) => w.startsWith("--from="))?.slice("--from=".length);
        const paths = words.filter((w) => !w.startsWith("--"));
        stage?.steps.push({
          copy: { from, sources: paths.slice(0, -1), destination: paths.at(-1) as string },
          workdir: stage.workdir,
        });
        break;
      }
      case "RUN":
        stage?.steps.push({ run: line.replace(/^RUN\s+/i, ""), workdir: stage.workdir });
        break;
      case "WORKDIR":
        if (stage) stage.workdir = words[0] as string;
        break;
      case "CMD":
        if (stage) stage.cmd = JSON.parse(line.replace(/^CMD\s+/i, "")) as string[];
        break;
    }
  }
  return result;
}

/** Whether .dockerignore keeps `path` out of the build context (the last matching rule wins, `!` lets it back in). */
export function ignored(path: string, rules: readonly string[]): boolean {
  const prefixes = path.split("/").map((_, i, parts) => parts.slice(0, i + 1).join("/"));
  let out = false;
  for (const rule of rules) {
    const negated = rule.startsWith("!");
    const glob = new Bun.Glob(negated ? rule.slice(1) : rule);
    if (prefixes.some((prefix) => glob.match(prefix))) out = !negated;
  }
  return out;
}

export const dockerignoreRules = () =>
  readRepoFile(".dockerignore")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));

/** A context path that .dockerignore drops (a COPY of it would fail or bring nothing). */
export class IgnoredSource extends Error {}

/** A RUN line that failed. */
export class RunFailed extends Error {}

/**
 * Builds the stages of `build`'s Dockerfile (its build args written in) under `dir` and returns the last stage with the folder holding its
 * filesystem root. Docker builds every stage at /: here each is built at the same folder, moved aside
 * when the next begins, so a path a stage writes into a file (a bundle names some files by path) is
 * the path the release has. COPY from the context skips nothing silently: a source .dockerignore
 * drops is an IgnoredSource error.
 */
export function replayImage(build: ImageBuild, dir: string): { stage: Stage; root: string } {
  const { dockerfile } = build;
  const rules = dockerignoreRules();
  const built = new Map<string, string>();
  const root = join(dir, "root");
  let last: { stage: Stage; root: string } | undefined;
  for (const stage of stages(dockerfileText(build))) {
    if (last) {
      const aside = join(dir, "stages", last.stage.name);
      mkdirSync(dirname(aside), { recursive: true });
      renameSync(root, aside);
      built.set(last.stage.name, aside);
    }
    const at = (workdir: string) => (path: string) => join(root, path.startsWith("/") ? path : join(workdir, path));
    mkdirSync(join(root, stage.workdir), { recursive: true });
    for (const step of stage.steps) {
      if ("run" in step) {
        mkdirSync(join(root, step.workdir), { recursive: true });
        const result = Bun.spawnSync(["sh", "-c", step.run], {
          cwd: join(root, step.workdir),
          stdout: "pipe",
          stderr: "pipe",
        });
        if (result.exitCode !== 0)
          throw new RunFailed(`${dockerfile}: RUN ${step.run}\n${result.stdout}${result.stderr}`);
        continue;
      }
      const { from, sources, destination } = step.copy;
      const inRoot = at(step.workdir);
      const expanded = sources.flatMap((source) =>
        !from && source.includes("*") ? [...new Bun.Glob(source).scanSync({ cwd: repoPath() })].sort() : [source],
      );
      for (const source of expanded) {
        if (!from && ignored(source, rules))
          throw new IgnoredSource(`${dockerfile}: COPY ${source} is in .dockerignore`);
        const origin = from ? join(built.get(from) ?? "", source) : repoPath(source);
        // A file into a folder (a trailing /) keeps its name; a folder's contents go into the destination.
        const target =
          destination.endsWith("/") && statSync(origin).isFile()
            ? join(inRoot(destination), basename(source))
            : inRoot(destination);
        mkdirSync(dirname(target), { recursive: true });
        cpSync(origin, target, {
          recursive: true,
          verbatimSymlinks: true,
          filter: (path) => from !== undefined || !ignored(relative(path), rules),
        });
      }
    }
    last = { stage, root };
  }
  if (!last) throw new Error(`${dockerfile}: no stage`);
  return last;
}

/** A path under the repository as .dockerignore sees it. */
function relative(path: string): string {
  return path.slice(repoPath("").length).replace(/^\/+/, "");
}

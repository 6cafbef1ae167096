// The five images' Dockerfiles (four files: the gRPC services share one, told
// apart by build args) pass hadolint and, read with each image's args as
// skaffold.yaml passes them, follow the image rules: pinned oven/bun base,
// frozen production install of one workspace, only that workspace plus proto/
// and services/kit in the final stage, no tests, USER bun, the code's port exposed.
import { beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dockerfileText, imageBuild } from "./support/imageBuilds";
import { replayImage, RunFailed } from "./support/imageReplay";
import { readRepoFile, repoPath } from "./support/repo";
import { hadolintPath, INSTALL_TIMEOUT_MS, runTool } from "./support/tools";

const IMAGES = [
  // The gateway bundles its console, which calls the API through @platform/client, when it starts.
  { image: "api-gateway", workspace: "gateway", port: 8000, also: ["client/"] },
  { image: "users-service", workspace: "services/users", port: 50051 },
  { image: "jobs-service", workspace: "services/jobs", port: 50052 },
  { image: "pipeline-service", workspace: "services/pipelines", port: 50053 },
  // The worker serves no API: its one port is /metrics and /healthz.
  { image: "jobs-worker", workspace: "worker", port: 9464 },
];
const BUN_IMAGE = "oven/bun:1.4.5";

let hadolint: string;
beforeAll(() => {
  hadolint = hadolintPath();
}, INSTALL_TIMEOUT_MS);

/** The instructions of the last stage (from its FROM on). */
function finalStage(text: string): string[] {
  const lines = text.split("\n").filter((l) => l.trim() && !l.trimStart().startsWith("#"));
  const lastFrom = lines.findLastIndex((l) => /^FROM\s/i.test(l));
  return lines.slice(lastFrom);
}

describe.each(IMAGES)("$image ($workspace)", ({ image, workspace, port, also }) => {
  const build = imageBuild(image);
  const path = build.dockerfile;
  const text = () => dockerfileText(build);

  test("passes hadolint (settings in .hadolint.yaml)", () => {
    const result = runTool([hadolint, "--no-color", "--config", repoPath(".hadolint.yaml"), repoPath(path)]);
    expect(result.output).toBe("");
    expect(result.exitCode).toBe(0);
  });

  test(`every stage is FROM the pinned ${BUN_IMAGE}`, () => {
    const froms = [...text().matchAll(/^FROM\s+(\S+)/gim)].map((m) => m[1]);
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) expect(from).toBe(BUN_IMAGE);
  });

  test("installs only the workspace's production dependencies from the frozen lockfile", async () => {
    const name = (await Bun.file(repoPath(workspace, "package.json")).json()).name;
    expect(text()).toMatch(new RegExp(`^RUN bun install --frozen-lockfile --production --filter ${name}$`, "m"));
  });

  test("the final stage holds only this workspace, proto/, services/kit (and what it bundles), runs as bun, exposes the code's port", () => {
    const stage = finalStage(text());
    const sources = stage
      .filter((l) => /^COPY\s/.test(l) && !l.includes("--from="))
      .flatMap((l) =>
        l
          .split(/\s+/)
          .slice(1, -1)
          .filter((a) => !a.startsWith("--")),
      );
    const allowed = ["proto/", "services/kit/", `${workspace}/`, ...(also ?? [])];
    for (const source of sources) expect(allowed.some((prefix) => source.startsWith(prefix))).toBe(true);
    expect(sources).toContain(`${workspace}/src`);
    expect(stage).toContain("USER bun");
    expect(stage).toContain(`EXPOSE ${port}`);
    expect(stage).toContain(`WORKDIR /app/${workspace}`);
    expect(stage).toContain(`COPY --from=build /app/${workspace}/dist ${workspace}/dist`);
    expect(stage.at(-1)).toBe('CMD ["bun", "dist/main.js"]');
  });

  test("the build stage bundles the workspace from every source folder the final stage holds", () => {
    const lines = text()
      .split("\n")
      .filter((l) => l.trim() && !l.startsWith("#"));
    const bundling = lines.indexOf(`RUN bun services/kit/src/bundle.ts ${workspace}`);
    expect(bundling).toBeGreaterThan(0);
    const copiedBefore = lines.slice(0, bundling).filter((l) => /^COPY \S+ \S+$/.test(l));
    const releaseSources = finalStage(text())
      .filter((l) => l.startsWith("COPY --chown=bun:bun ") && l.includes("/src "))
      .map((l) => l.split(" ")[2]);
    expect(releaseSources).toContain(`${workspace}/src`);
    for (const source of releaseSources) expect(copiedBefore).toContain(`COPY ${source} ${source}`);
  });
});

test("the services' Dockerfile built without SERVICE stops at once, saying which build arg it needs", () => {
  const dir = mkdtempSync(join(tmpdir(), "no-service-"));
  const build = { image: "users-service", dockerfile: "services/Dockerfile", buildArgs: {} };
  try {
    expect(() => replayImage(build, dir)).toThrow(RunFailed);
    expect(() => replayImage(build, dir)).toThrow("build with --build-arg SERVICE=users, jobs or pipelines");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test(".dockerignore keeps tests, dependencies and local state out of the build context", () => {
  const patterns = readRepoFile(".dockerignore")
    .split("\n")
    .map((l) => l.trim());
  for (const pattern of ["**/*.test.ts", "**/test", "**/node_modules", "**/dist", ".git", ".tools", ".data"])
    expect(patterns).toContain(pattern);
});

test("hadolint fails a Dockerfile that breaks a rule (the check bites)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "hadolint-"));
  const file = join(dir, "Dockerfile");
  await Bun.write(file, "FROM oven/bun:latest\nRUN apt-get install curl\n");
  const result = runTool([hadolint, "--no-color", "--config", repoPath(".hadolint.yaml"), file]);
  rmSync(dir, { recursive: true, force: true });
  expect(result.exitCode).not.toBe(0);
  expect(result.output).toContain("DL3007"); // :latest
});

// The five images, replayed without a Docker engine (support/imageReplay.ts):
// every stage's COPY lines on what .dockerignore lets through, every RUN line
// (the frozen `bun install`) run for real, then the whole system started from
// the images' /app trees, each process with its image's CMD entry. A workspace
// manifest the lockfile needs but a stage does not copy ("listed in bun.lock
// but not on disk"), a source the final stage forgets, or a dependency left out
// of the production install fails here as it would in `docker build` or on the
// first request in a cluster.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUNDLE_ENTRY } from "@platform/kit/bundle";
import { COMPONENT_WORKSPACES, type RunningSystem, startComponent, startSystem } from "@platform/harness";
import { unwrap } from "@platform/client";
import { eventually } from "@platform/kit/testing";
import { clientFor, loginAs } from "../support/client";
import { imageBuild } from "./support/imageBuilds";
import { ignored, replayImage } from "./support/imageReplay";

/** Each component's image, built as skaffold.yaml builds it (its Dockerfile and build args). */
const IMAGES = {
  gateway: "api-gateway",
  users: "users-service",
  jobs: "jobs-service",
  pipelines: "pipeline-service",
  worker: "jobs-worker",
} as const satisfies Record<keyof typeof COMPONENT_WORKSPACES, string>;

const work = mkdtempSync(join(tmpdir(), "images-"));
const roots: Partial<Record<keyof typeof IMAGES, string>> = {};
let system: RunningSystem | undefined;
afterAll(async () => {
  await system?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe(".dockerignore rules", () => {
  test("match a path or any folder above it, and a later ! rule lets it back in", () => {
    expect(ignored("bench/package.json", ["bench"])).toBe(true);
    expect(ignored("bench/package.json", ["bench", "!bench/package.json"])).toBe(false);
    expect(ignored("gateway/src/a.test.ts", ["**/*.test.ts"])).toBe(true);
    expect(ignored("gateway/package.json", ["bench", "**/*.test.ts"])).toBe(false);
  });
});

describe.each(Object.entries(IMAGES))("%s image (%s)", (component, image) => {
  test("builds: every stage's COPY and RUN (the frozen production install, the bundle) succeeds", () => {
    const { stage, root } = replayImage(imageBuild(image), join(work, component));
    // The image runs `bun dist/main.js` in its WORKDIR: the launcher runs the same file from the same tree.
    const app = join(root, "app");
    expect(join(root, stage.workdir, stage.cmd.at(-1) ?? "")).toBe(
      join(app, COMPONENT_WORKSPACES[component as keyof typeof IMAGES], BUNDLE_ENTRY),
    );
    roots[component as keyof typeof IMAGES] = app;
  }, 120_000);
});

describe("the system started from the five image trees", () => {
  beforeAll(async () => {
    expect(Object.keys(roots).sort()).toEqual(Object.keys(IMAGES).sort());
    system = await startSystem({ roots, workers: 1 });
  }, 60_000);

  test("serves login, users, a job run by the image's worker, the console and the API document", async () => {
    const sys = system as RunningSystem;
    const api = clientFor(sys.url, await loginAs(sys.url));
    const user = await api.users.post({ name: "Image Check", email: "image-check@example.com" });
    expect(user.status).toBe(201);
    const { id } = await unwrap(
      api.jobs.post({ job_name: "from the images", kind: "echo", payload: { hello: "images" } }),
    );
    const done = await eventually(
      async () => {
        const current = await unwrap(api.jobs({ id }).get());
        return current.status === "SUCCEEDED" ? current : undefined;
      },
      15_000,
      `job ${id} to succeed`,
    );
    expect(done.result).toEqual({ hello: "images" });
    // The console is bundled from the image's sources on its first request.
    const ui = await fetch(`${sys.url}/ui`);
    expect(ui.status).toBe(200);
    const script = (await ui.text()).match(/src="(\/ui\/assets\/[^"]+\.js)"/)?.[1];
    expect(script).toBeDefined();
    expect((await fetch(`${sys.url}${script}`)).status).toBe(200);
    expect((await fetch(`${sys.url}/openapi.json`)).status).toBe(200);
  }, 60_000);

  // The dev overlay runs `bun --watch src/main.ts` in each image, for skaffold's file sync.
  test.each(Object.entries(IMAGES))(
    "%s: the sources the image keeps for dev start too",
    async (component) => {
      const sys = system as RunningSystem;
      const workspace = COMPONENT_WORKSPACES[component as keyof typeof IMAGES];
      const app = roots[component as keyof typeof IMAGES] as string;
      const running = await startComponent({
        name: `${component}-sources`,
        component: component as keyof typeof IMAGES,
        command: [process.execPath, join(app, workspace, "src/main.ts")],
        root: app,
        env: {
          ...(component === "gateway" ? sys.gatewayEnv : sys.env),
          JOBS_SERVICE_URL: `127.0.0.1:${sys.services.jobs.port}`,
          PORT: "0",
          METRICS_PORT: "0",
        },
      });
      expect(await running.stop()).toBe(0);
    },
    60_000,
  );
});

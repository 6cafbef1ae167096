// skaffold.yaml is a valid config of the newest vendored schema version, and
// says what k8s/README.md promises (four artifacts, kustomize overlays, kubectl
// deploy, Envoy forwarded to localhost:8080, dev and prod profiles, file sync).
import { beforeAll, describe, expect, test } from "bun:test";
import Ajv, { type ValidateFunction } from "ajv";
import { existsSync } from "node:fs";
import { parse } from "yaml";
import schema from "./schemas/skaffold-v4beta14.json";
import { dockerfileText, imageBuild } from "./support/imageBuilds";
import { readRepoFile, repoPath } from "./support/repo";

/** The schema does not pin apiVersion (it is a free string), so the test does. */
const SKAFFOLD_API_VERSION = "skaffold/v4beta14";

let validate: ValidateFunction;
let config: any;

beforeAll(() => {
  // strict: false: the schema uses Skaffold's own keywords (x-intellij-html-description, preferredOrder).
  validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
  config = parse(readRepoFile("skaffold.yaml"));
});

const errorsOf = (value: unknown) =>
  validate(value)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);

describe("skaffold.yaml", () => {
  test("validates against the vendored v4beta14 JSON schema", () => {
    expect(errorsOf(config)).toEqual([]);
  });

  test(`declares apiVersion ${SKAFFOLD_API_VERSION}, the schema's version`, () => {
    expect(config.apiVersion).toBe(SKAFFOLD_API_VERSION);
    expect(config.kind).toBe("Config");
  });

  test("an unknown key anywhere fails validation (the check bites)", () => {
    const broken = structuredClone(config);
    broken.build.artifacts[0].docker.dockerfilee = broken.build.artifacts[0].docker.dockerfile;
    expect(errorsOf(broken).length).toBeGreaterThan(0);
    const brokenTop = { ...structuredClone(config), deploys: { kubectl: {} } };
    expect(errorsOf(brokenTop).length).toBeGreaterThan(0);
  });

  test("builds the five images from the repository root, the gRPC services from one Dockerfile with their own args", () => {
    const artifacts = config.build.artifacts.map((a: any) => [
      a.image,
      a.context,
      a.docker.dockerfile,
      a.docker.buildArgs,
    ]);
    expect(artifacts).toEqual([
      ["api-gateway", ".", "gateway/Dockerfile", undefined],
      ["users-service", ".", "services/Dockerfile", { SERVICE: "users", PORT: "50051" }],
      ["jobs-service", ".", "services/Dockerfile", { SERVICE: "jobs", PORT: "50052" }],
      ["pipeline-service", ".", "services/Dockerfile", { SERVICE: "pipelines", PORT: "50053" }],
      ["jobs-worker", ".", "worker/Dockerfile", undefined],
    ]);
    for (const [, , dockerfile] of artifacts) expect(existsSync(repoPath(dockerfile))).toBe(true);
    expect(config.build.tagPolicy).toEqual({ gitCommit: {} });
  });

  test("syncs each image's TypeScript sources to where its Dockerfile puts them", () => {
    for (const artifact of config.build.artifacts) {
      const dockerfile = dockerfileText(imageBuild(artifact.image));
      const workdir = [...dockerfile.matchAll(/^WORKDIR\s+(\S+)/gm)].at(-1)![1]!; // /app/<workspace>
      const workspace = workdir.replace(/^\/app\//, "");
      expect(existsSync(repoPath(workspace, "src/main.ts"))).toBe(true);
      const rules = artifact.sync.manual as { src: string; dest: string; strip?: string }[];
      expect(rules.map((r) => r.src)).toContain(`${workspace}/src/**/*.ts`);
      for (const rule of rules) {
        // dest + the file's path in the context (nothing stripped) = its path in the image.
        expect(rule.dest).toBe("/app");
        expect(rule.strip).toBeUndefined();
        const sourceDir = rule.src.replace(/\/\*\*\/\*\.ts$/, "");
        expect(dockerfile).toMatch(new RegExp(`^COPY .*\\b${sourceDir} ${sourceDir}$`, "m"));
      }
    }
  });

  test("renders k8s/overlays/dev with kustomize and deploys with kubectl", () => {
    expect(config.manifests).toEqual({ kustomize: { paths: ["k8s/overlays/dev"] } });
    expect(config.deploy).toEqual({ kubectl: {} });
  });

  test("forwards Service envoy port 80 to localhost:8080", () => {
    expect(config.portForward).toContainEqual({
      resourceType: "service",
      resourceName: "envoy",
      namespace: "microservices",
      port: 80,
      localPort: 8080,
    });
  });

  test("has dev and prod profiles on the matching overlays", () => {
    const profiles = Object.fromEntries(config.profiles.map((p: any) => [p.name, p.manifests?.kustomize?.paths]));
    expect(profiles).toEqual({ dev: ["k8s/overlays/dev"], prod: ["k8s/overlays/prod"] });
    for (const paths of Object.values(profiles) as string[][])
      for (const path of paths) expect(existsSync(repoPath(path, "kustomization.yaml"))).toBe(true);
  });
});

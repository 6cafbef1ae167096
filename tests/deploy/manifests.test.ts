// Every object that `kubectl kustomize` renders for each overlay is valid
// Kubernetes: it passes the kubernetes-models validator of its kind and has no
// field its kind does not declare (see support/kubeSchema.ts).
import { beforeAll, describe, expect, test } from "bun:test";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { manifestProblems, unknownFields } from "./support/kubeSchema";
import { OVERLAYS, renderKustomization, renderOverlay, repoPath, type KubeObject } from "./support/repo";

const rendered: Record<string, KubeObject[]> = {};

beforeAll(() => {
  for (const overlay of OVERLAYS) rendered[overlay] = renderOverlay(overlay);
});

describe.each(OVERLAYS)("k8s/overlays/%s", (overlay) => {
  test("renders with kubectl kustomize", () => {
    expect(rendered[overlay]!.length).toBeGreaterThan(10);
  });

  test("every object validates against its Kubernetes schema and has no unknown fields", async () => {
    const problems = (await Promise.all(rendered[overlay]!.map(manifestProblems))).flat();
    expect(problems).toEqual([]);
  });

  test("names are unique per kind", () => {
    const ids = rendered[overlay]!.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(ids.length).toBe(new Set(ids).size);
  });
});

describe("the validation bites", () => {
  const deployment = () =>
    structuredClone(renderOverlay("dev").find((o) => o.kind === "Deployment" && o.metadata.name === "users")!);

  test("a typo'd field deep in a Deployment is reported", async () => {
    const broken = deployment();
    broken.spec.template.spec.containers[0].imagePullPolicyy = "IfNotPresent";
    expect(unknownFields(broken)).toEqual(["spec.template.spec.containers[0].imagePullPolicyy"]);
    expect(await manifestProblems(broken)).toContain(
      "Deployment/users: unknown field spec.template.spec.containers[0].imagePullPolicyy",
    );
  });

  test("a wrongly typed or missing value is reported", async () => {
    const broken = deployment();
    broken.spec.replicas = "two";
    delete broken.spec.template.spec.containers[0].ports[0].containerPort;
    const problems = await manifestProblems(broken);
    expect(problems.some((p) => p.includes("/spec/replicas"))).toBe(true);
    expect(problems.some((p) => p.includes("containerPort"))).toBe(true);
  });

  test("free-form maps (labels, annotations, data) accept any key", () => {
    const object = deployment();
    object.metadata.labels = { ...object.metadata.labels, "example.com/anything": "x" };
    expect(unknownFields(object)).toEqual([]);
  });

  test("a typo in a base manifest file is caught in the rendered overlay", async () => {
    // Copy k8s/ aside, break one field in the base, render the dev overlay.
    const dir = mkdtempSync(join(tmpdir(), "k8s-broken-"));
    cpSync(repoPath("k8s"), join(dir, "k8s"), { recursive: true });
    const file = join(dir, "k8s", "base", "users.yaml");
    const text = await Bun.file(file).text();
    writeFileSync(file, text.replace("imagePullPolicy: IfNotPresent", "imagePullPolicyy: IfNotPresent"));
    let objects: KubeObject[];
    try {
      objects = renderKustomization(join(dir, "k8s", "overlays", "dev"));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const problems = (await Promise.all(objects.map(manifestProblems))).flat();
    expect(problems).toContain("Deployment/users: unknown field spec.template.spec.containers[0].imagePullPolicyy");
  });
});

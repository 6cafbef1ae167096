// Paths and file loading shared by the deploy checks. Everything here works
// offline: no cluster, no Docker engine.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";

export const REPO_ROOT = join(import.meta.dir, "..", "..", "..");

export const repoPath = (...parts: string[]) => join(REPO_ROOT, ...parts);

export const readRepoFile = (path: string) => readFileSync(repoPath(path), "utf8");

/** A rendered Kubernetes object: only apiVersion, kind and metadata are assumed. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
  [key: string]: any;
}

/** Every document of a YAML stream, failing on any parse error. */
export function parseYamlStream(text: string, source: string): unknown[] {
  return parseAllDocuments(text)
    .map((doc, index) => {
      if (doc.errors.length > 0)
        throw new Error(`${source} document ${index}: ${doc.errors.map((e) => e.message).join("; ")}`);
      return doc.toJS();
    })
    .filter((doc) => doc !== null && doc !== undefined);
}

function kubectl(): string {
  const path = process.env.KUBECTL_BIN ?? Bun.which("kubectl");
  if (!path || !existsSync(path))
    throw new Error("kubectl is needed to render the kustomize overlays (set KUBECTL_BIN or put it on PATH)");
  return path;
}

/** `kubectl kustomize <dir>`: the objects an overlay would apply. Throws with kubectl's message. */
export function renderKustomization(dir: string): KubeObject[] {
  const result = Bun.spawnSync([kubectl(), "kustomize", dir], { stdout: "pipe", stderr: "pipe" });
  if (result.exitCode !== 0) throw new Error(`kubectl kustomize ${dir} failed:\n${result.stderr.toString()}`);
  return parseYamlStream(result.stdout.toString(), dir) as KubeObject[];
}

const rendered = new Map<string, KubeObject[]>();

/** The rendered objects of k8s/overlays/<name>, rendered once per test file. */
export function renderOverlay(name: "dev" | "prod"): KubeObject[] {
  let objects = rendered.get(name);
  if (!objects) {
    objects = renderKustomization(repoPath("k8s", "overlays", name));
    rendered.set(name, objects);
  }
  return objects;
}

export const OVERLAYS = ["dev", "prod"] as const;

export function byKind<T = KubeObject>(objects: KubeObject[], kind: string): T[] {
  return objects.filter((o) => o.kind === kind) as T[];
}

export function findObject<T = KubeObject>(objects: KubeObject[], kind: string, name: string): T {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} named ${name}`);
  return found as T;
}

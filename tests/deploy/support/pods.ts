// Helpers the k8s consistency checks share: a Deployment's pod spec and only
// container, label selectors, container ports and env vars.
import { expect } from "bun:test";
import type { KubeObject } from "./repo";

export const podSpec = (deployment: KubeObject) => deployment.spec.template.spec;
export const containerOf = (deployment: KubeObject) => {
  const containers = podSpec(deployment).containers;
  expect(containers).toHaveLength(1);
  return containers[0];
};
export const matches = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
/** A container port by name or number, as a Service targetPort or probe port names it. */
export const resolvePort = (container: any, port: string | number): number | undefined =>
  container.ports?.find((p: any) => p.name === port || p.containerPort === port)?.containerPort;
export const envMap = (container: any): Record<string, any> =>
  Object.fromEntries((container.env ?? []).map((e: any) => [e.name, e]));
export const literalEnv = (container: any) =>
  Object.fromEntries(
    (container.env ?? []).filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]),
  );

// The Envoy config that Kubernetes mounts (k8s/base/envoy/envoy.yaml, owned by
// the edge work and rendered from envoy/) is valid for the Envoy release the
// Deployment runs, and keeps its contract with the manifests: the ports the
// Service and probes use, the loopback admin, and the gateway's Service address.
import { beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { findObject, readRepoFile, renderOverlay, repoPath, type KubeObject } from "./support/repo";
import { ENVOY_REQUIREMENT, envoyPath, INSTALL_TIMEOUT_MS, runTool } from "./support/tools";

const CONFIG_PATH = "k8s/base/envoy/envoy.yaml";

let envoy: string;
let config: any;
let objects: KubeObject[];

beforeAll(() => {
  envoy = envoyPath();
  config = parse(readRepoFile(CONFIG_PATH));
  objects = renderOverlay("prod");
}, INSTALL_TIMEOUT_MS);

const envoyContainer = () => findObject(objects, "Deployment", "envoy").spec.template.spec.containers[0];
const containerPort = (name: string): number => envoyContainer().ports.find((p: any) => p.name === name).containerPort;
const socket = (address: any) => address.socket_address as { address: string; port_value: number };
const listenerOn = (port: number) => config.static_resources.listeners.find((l: any) => socket(l.address).port_value === port);
const routesOf = (listener: any): any[] =>
  listener.filter_chains.flatMap((c: any) => c.filters).flatMap((f: any) => f.typed_config?.route_config?.virtual_hosts ?? []).flatMap((v: any) => v.routes);
const clusterEndpoints = (name: string) =>
  config.static_resources.clusters
    .find((c: any) => c.name === name)
    .load_assignment.endpoints.flatMap((e: any) => e.lb_endpoints)
    .map((e: any) => socket(e.endpoint.address));

function validate(path: string) {
  return runTool([envoy, "--mode", "validate", "--config-path", path, "--log-level", "error"]);
}

describe(CONFIG_PATH, () => {
  test("passes envoy --mode validate", () => {
    const result = validate(repoPath(CONFIG_PATH));
    expect(result.output).toContain("OK");
    expect(result.exitCode).toBe(0);
  });

  test("a config with an unknown field fails envoy --mode validate (the check bites)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "envoy-"));
    const broken = join(dir, "envoy.yaml");
    await Bun.write(broken, readRepoFile(CONFIG_PATH).replace("stat_prefix: ingress", "stat_prefixx: ingress"));
    const result = validate(broken);
    rmSync(dir, { recursive: true, force: true });
    expect(result.exitCode).not.toBe(0);
  });

  test("the validator is the release the Deployment runs", () => {
    const version = ENVOY_REQUIREMENT.split("==")[1];
    expect(envoyContainer().image).toBe(`envoyproxy/envoy:v${version}`);
  });

  test("admin listens on loopback only", () => {
    expect(socket(config.admin.address).address).toBe("127.0.0.1");
  });

  test("a listener serves the container port that Service envoy targets (80 -> http)", () => {
    const service = findObject(objects, "Service", "envoy");
    expect(service.spec.type).toBe("LoadBalancer");
    expect(service.spec.ports).toContainEqual(expect.objectContaining({ port: 80, targetPort: "http" }));
    expect(containerPort("http")).toBe(8080);
    const listener = listenerOn(containerPort("http"));
    expect(listener).toBeDefined();
    expect(socket(listener.address).address).toBe("0.0.0.0");
  });

  test("the probe listener routes GET /ready to the admin's /ready", () => {
    for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
      expect(envoyContainer()[probe].httpGet).toEqual({ path: "/ready", port: "ready" });
    }
    const listener = listenerOn(containerPort("ready"));
    expect(listener).toBeDefined();
    const routes = routesOf(listener);
    const ready = routes.find((r) => r.match.path === "/ready");
    expect(ready).toBeDefined();
    // Nothing but /ready is reachable through it: the admin stays private.
    expect(routes.every((r) => r.match.path === "/ready" && !r.match.prefix && !r.route.prefix_rewrite && !r.route.regex_rewrite)).toBe(true);
    expect(clusterEndpoints(ready.route.cluster)).toEqual([socket(config.admin.address)]);
  });

  test("the gateway cluster points at Service api-gateway and its port", () => {
    const service = findObject(objects, "Service", "api-gateway");
    const endpoints = clusterEndpoints("api-gateway");
    expect(endpoints).toEqual([{ address: `api-gateway.${service.metadata.namespace}.svc.cluster.local`, port_value: service.spec.ports[0].port }]);
  });

  test("the ConfigMap carries this file and Envoy reads it from its mount", () => {
    const deployment = findObject(objects, "Deployment", "envoy");
    const volume = deployment.spec.template.spec.volumes.find((v: any) => v.configMap);
    const configMap = findObject(objects, "ConfigMap", volume.configMap.name);
    expect(configMap.data["envoy.yaml"]).toBe(readRepoFile(CONFIG_PATH));
    const mount = envoyContainer().volumeMounts.find((m: any) => m.name === volume.name);
    const args: string[] = envoyContainer().args;
    expect(args[args.indexOf("--config-path") + 1]).toBe(`${mount.mountPath}/envoy.yaml`);
  });
});

// The Envoy config that Kubernetes mounts (k8s/base/envoy/envoy.yaml, rendered
// from envoy/config.ts; tests/edge/validate.test.ts runs `envoy --mode validate`
// on it) keeps its contract with the manifests: the release the Deployment runs,
// the ports the Service and probes use, the loopback admin, the gateway's
// headless Service, and the JWKS Secret jwt_authn reads.
import { beforeAll, describe, expect, test } from "bun:test";
import { parse } from "yaml";
import { ENVOY_WORKERS } from "../../envoy/settings";
import { findObject, readRepoFile, renderOverlay, type KubeObject } from "./support/repo";
import { ENVOY_REQUIREMENT, INSTALL_TIMEOUT_MS } from "./support/tools";

const CONFIG_PATH = "k8s/base/envoy/envoy.yaml";

let config: any;
let objects: KubeObject[];

beforeAll(() => {
  config = parse(readRepoFile(CONFIG_PATH));
  objects = renderOverlay("prod");
}, INSTALL_TIMEOUT_MS);

const envoyContainer = () => findObject(objects, "Deployment", "envoy").spec.template.spec.containers[0];
const containerPort = (name: string): number => envoyContainer().ports.find((p: any) => p.name === name).containerPort;
const socket = (address: any) => address.socket_address as { address: string; port_value: number };
const listenerOn = (port: number) =>
  config.static_resources.listeners.find((l: any) => socket(l.address).port_value === port);
const routesOf = (listener: any): any[] =>
  listener.filter_chains
    .flatMap((c: any) => c.filters)
    .flatMap((f: any) => f.typed_config?.route_config?.virtual_hosts ?? [])
    .flatMap((v: any) => v.routes);
const clusterEndpoints = (name: string) =>
  config.static_resources.clusters
    .find((c: any) => c.name === name)
    .load_assignment.endpoints.flatMap((e: any) => e.lb_endpoints)
    .map((e: any) => socket(e.endpoint.address));

describe(CONFIG_PATH, () => {
  test("runs as many workers as `bun run dev` does (ENVOY_WORKERS), one per CPU of its limit", () => {
    const args: string[] = envoyContainer().args;
    expect(args[args.indexOf("--concurrency") + 1]).toBe(String(ENVOY_WORKERS));
    expect(String(envoyContainer().resources.limits.cpu)).toMatch(
      new RegExp(`^(${ENVOY_WORKERS}|${ENVOY_WORKERS * 1000}m)$`),
    );
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

  test("the probes use the ready listener, which answers /ready itself and proxies nothing", () => {
    for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
      expect(envoyContainer()[probe].httpGet).toEqual({ path: "/ready", port: "ready" });
    }
    const listener = listenerOn(containerPort("ready"));
    expect(listener).toBeDefined();
    const manager = listener.filter_chains[0].filters[0].typed_config;
    const healthCheck = manager.http_filters.find((f: any) => f.name === "envoy.filters.http.health_check");
    expect(healthCheck.typed_config.pass_through_mode).toBe(false);
    expect(JSON.stringify(healthCheck.typed_config.headers)).toContain("/ready");
    // No route on it reaches a cluster: the admin and the gateway stay out of reach.
    expect(routesOf(listener).every((r) => !r.route?.cluster)).toBe(true);
    // The Service does not expose it.
    expect(findObject(objects, "Service", "envoy").spec.ports.map((p: any) => p.targetPort)).toEqual(["http"]);
  });

  test("the gateway cluster resolves the headless gateway Service, on the gateway's container port", () => {
    const service = findObject(objects, "Service", "api-gateway-headless");
    expect(service.spec.clusterIP).toBe("None");
    const gateway = findObject(objects, "Deployment", "api-gateway");
    expect(service.spec.selector).toEqual({
      "app.kubernetes.io/name": gateway.spec.template.metadata.labels["app.kubernetes.io/name"],
    });
    const cluster = config.static_resources.clusters.find((c: any) => c.name === "gateway");
    expect(cluster.type).toBe("STRICT_DNS");
    expect(clusterEndpoints("gateway")).toEqual([
      {
        address: `api-gateway-headless.${service.metadata.namespace}.svc.cluster.local`,
        port_value: service.spec.ports[0].port,
      },
    ]);
    expect(service.spec.ports[0].port).toBe(
      gateway.spec.template.spec.containers[0].ports.find((p: any) => p.name === "http").containerPort,
    );
  });

  test("jwt_authn reads its JWKS from the mounted Secret envoy-jwks", () => {
    const text = readRepoFile(CONFIG_PATH);
    const file = /filename: (\S+jwks\.json)/.exec(text)?.[1];
    expect(file).toBeDefined();
    const volume = findObject(objects, "Deployment", "envoy").spec.template.spec.volumes.find(
      (v: any) => v.secret?.secretName === "envoy-jwks",
    );
    const mount = envoyContainer().volumeMounts.find((m: any) => m.name === volume.name);
    expect(file).toBe(`${mount.mountPath}/jwks.json`);
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

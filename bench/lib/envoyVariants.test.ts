// The edge-cost variants: each is a config the real Envoy accepts, and each
// differs from the shipped dev rendering by exactly the part it names.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureEnvoy, validateEnvoyConfig } from "@platform/harness";
import { ENVOY_WORKERS } from "../../envoy/settings";
import { ENVOY_VARIANTS, variantConfig, variantWorkers, type EnvoyVariant } from "./envoyVariants";

const dir = mkdtempSync(join(tmpdir(), "bench-envoy-variants-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const GATEWAYS = ["127.0.0.1:18001", "127.0.0.1:18002"];
const variant = (id: string) => ENVOY_VARIANTS.find((v) => v.id === id) as EnvoyVariant;
const hcm = (config: Record<string, any>) =>
  config.static_resources.listeners.find((l: { name: string }) => l.name === "edge").filter_chains[0].filters[0]
    .typed_config;
const filterNames = (config: Record<string, any>) =>
  (hcm(config).http_filters as { name: string }[]).map((f) => f.name);

describe("Envoy variants of the shipped dev rendering", () => {
  const shipped = variantConfig(variant("shipped"), GATEWAYS);

  test("the shipped variant has the buffer filter, the access log and the local-reply mappers", () => {
    expect(filterNames(shipped)).toEqual(["envoy.filters.http.buffer", "envoy.filters.http.router"]);
    expect(hcm(shipped).access_log).toHaveLength(1);
    expect(hcm(shipped).local_reply_config.mappers.length).toBeGreaterThan(0);
  });

  test("every variant but the two-worker one runs the shipped worker count", () => {
    const workers = Object.fromEntries(ENVOY_VARIANTS.map((v) => [v.id, variantWorkers(v)]));
    expect(workers["concurrency-2"]).toBe(2);
    delete workers["concurrency-2"];
    expect(new Set(Object.values(workers))).toEqual(new Set([ENVOY_WORKERS]));
  });

  test("each variant drops or adds only what it names", () => {
    const noBuffer = variantConfig(variant("no-buffer"), GATEWAYS);
    expect(filterNames(noBuffer)).toEqual(["envoy.filters.http.router"]);
    expect(hcm(noBuffer).access_log).toEqual(hcm(shipped).access_log);
    // The shipped log has a filter (failures and gRPC calls only); this variant, the same log without it.
    const { filter, ...unfiltered } = hcm(shipped).access_log[0];
    expect(filter).toBeDefined();
    expect(hcm(variantConfig(variant("access-log-all"), GATEWAYS)).access_log).toEqual([unfiltered]);
    expect(hcm(variantConfig(variant("no-local-reply"), GATEWAYS)).local_reply_config).toBeUndefined();
    const routerOnly = hcm(variantConfig(variant("router-only"), GATEWAYS));
    expect(routerOnly.http_filters.map((f: { name: string }) => f.name)).toEqual(["envoy.filters.http.router"]);
    expect(routerOnly.access_log).toBeUndefined();
    expect(routerOnly.local_reply_config).toBeUndefined();
    expect(filterNames(variantConfig(variant("rate-limit"), GATEWAYS))).toEqual([
      "edge_rate_limit_per_address",
      "envoy.filters.http.buffer",
      "envoy.filters.http.router",
    ]);
    expect(filterNames(variantConfig(variant("jwt"), GATEWAYS))[0]).toBe("envoy.filters.http.jwt_authn");
    expect(variantConfig(variant("concurrency-2"), GATEWAYS)).toEqual(shipped);
    const upstreams = (config: Record<string, any>) =>
      config.static_resources.clusters[0].load_assignment.endpoints[0].lb_endpoints.length;
    const oneReplica = variantConfig(variant("one-replica"), GATEWAYS);
    expect([upstreams(shipped), upstreams(oneReplica)]).toEqual([2, 1]);
    expect(hcm(oneReplica)).toEqual(hcm(shipped));
  });

  test("the minimal variant keeps a listener, the router and a plain cluster in front of the same replicas", () => {
    const minimal = variantConfig(variant("minimal"), GATEWAYS);
    const { "@type": type, ...rest } = hcm(minimal);
    expect(type).toBe(hcm(shipped)["@type"]);
    expect(rest).toEqual({
      stat_prefix: "edge",
      codec_type: "AUTO",
      route_config: {
        name: "edge",
        virtual_hosts: [
          { name: "api", domains: ["*"], routes: [{ match: { prefix: "/" }, route: { cluster: "gateway" } }] },
        ],
      },
      http_filters: [hcm(shipped).http_filters.at(-1)],
    });
    const [cluster] = minimal.static_resources.clusters;
    expect(Object.keys(cluster).sort()).toEqual(["connect_timeout", "lb_policy", "load_assignment", "name", "type"]);
    expect(cluster.load_assignment).toEqual(shipped.static_resources.clusters[0].load_assignment);
    // The shipped variant is untouched by it.
    expect(shipped.static_resources.clusters[0].health_checks).toBeDefined();
  });

  test.each(ENVOY_VARIANTS.map((v) => [v.id, v] as const))(
    "%s passes envoy --mode validate",
    async (id, v) => {
      const path = join(dir, `${id}.json`);
      await Bun.write(path, JSON.stringify(variantConfig(v, GATEWAYS)));
      const result = await validateEnvoyConfig(path, ensureEnvoy());
      if (!result.ok) console.error(result.output);
      expect(result.ok).toBe(true);
    },
    60_000,
  );
});

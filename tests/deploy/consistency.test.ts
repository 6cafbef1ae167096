// The manifests of each overlay agree with the code, with skaffold.yaml and with
// themselves: images, ports, Service selectors, env vars, probes, the Secret,
// namespace, pod hardening, graceful termination. Each check reads the code's own
// values (ports, env schemas, routes), so renaming one without the other fails
// here. prod adds prodAvailability, prodNetworkPolicy and prodMtls.test.ts.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { parse } from "yaml";
import { jwksFor } from "../../envoy/jwks";
import {
  COMPONENT_WORKSPACES,
  type ComponentName,
  ENVOY_VERSION,
  JSC_RAM_SIZE_ENV,
  POD_MEMORY_LIMIT_MIB,
} from "@platform/harness";
import {
  buildGatewayApp,
  COMPONENTS,
  JWT_SECRET_KEYS,
  SERVICE_METRICS_PORT,
  UPSTREAM_URL_VARS,
  WORKER,
  type Component,
} from "./support/components";
import { dockerfileText, imageBuild } from "./support/imageBuilds";
import { containerOf, envMap, literalEnv, matches, podSpec, resolvePort } from "./support/pods";
import { byKind, findObject, OVERLAYS, readRepoFile, renderOverlay, type KubeObject } from "./support/repo";
import { ARGON2, createLogger, parseConfig, startMetricsServer } from "@platform/kit";
import { workerConfigSchema } from "../../worker/src/config";

const NAMESPACE = "microservices";
const ENVOY_IMAGE = new RegExp(`^envoyproxy/envoy:v${ENVOY_VERSION.replaceAll(".", "\\.")}$`);
/** uid of `bun` in oven/bun and of `envoy` in envoyproxy/envoy. */
const IMAGE_UIDS: Record<string, number> = { bun: 1000, envoy: 101 };
/** RSS under load without logins, the top of k8s/README.md's "memory per pod" range (MiB). */
const LOAD_PEAK_MIB: Record<string, number> = { "api-gateway": 143, users: 116 };
/** What one argon2id run in flight holds (kit's ARGON2.memoryCost, in KiB). */
const ARGON2_MIB = ARGON2.memoryCost / 1024;
/** A Kubernetes CPU quantity ("500m", "1") in cores. */
const cpuCores = (quantity: string) =>
  quantity.endsWith("m") ? Number(quantity.slice(0, -1)) / 1000 : Number(quantity);
/** A Kubernetes memory quantity ("384Mi", "1Gi") in MiB. */
const memoryMiB = (quantity: string) => {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
  if (!match) throw new Error(`unexpected memory quantity ${quantity}`);
  return Number(match[1]) * (match[2] === "Gi" ? 1024 : 1);
};

const rendered: Record<string, KubeObject[]> = {};
let skaffold: any;
let gateway: ReturnType<typeof buildGatewayApp>;

beforeAll(() => {
  for (const overlay of OVERLAYS) rendered[overlay] = renderOverlay(overlay);
  skaffold = parse(readRepoFile("skaffold.yaml"));
  gateway = buildGatewayApp();
});
afterAll(() => gateway?.close());

describe.each(OVERLAYS)("k8s/overlays/%s", (overlay) => {
  const objects = () => rendered[overlay]!;
  const deployments = () => byKind(objects(), "Deployment");
  /** Everything that runs pods: the Deployments, and in dev the PostgreSQL StatefulSet. */
  const workloads = () => [...deployments(), ...byKind(objects(), "StatefulSet")];
  const deploymentOf = (c: Component) => findObject(objects(), "Deployment", c.name);

  test(`every namespaced object is in ${NAMESPACE}, which the overlay creates`, () => {
    expect(findObject(objects(), "Namespace", NAMESPACE)).toBeDefined();
    const outside = objects().filter((o) => o.kind !== "Namespace" && o.metadata.namespace !== NAMESPACE);
    expect(outside.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([]);
  });

  test("every object and pod carries app.kubernetes.io/name and part-of labels", () => {
    const unlabeled = objects()
      .filter((o) => o.kind !== "Namespace" && o.metadata.name !== "default-deny-ingress")
      .flatMap((o) =>
        [o.metadata.labels, ...(o.spec?.template ? [o.spec.template.metadata.labels] : [])].map(
          (labels) => [o, labels] as const,
        ),
      )
      .filter(
        ([, labels]) =>
          !labels?.["app.kubernetes.io/name"] || labels["app.kubernetes.io/part-of"] !== "microservices-platform",
      )
      .map(([o]) => `${o.kind}/${o.metadata.name}`);
    expect(unlabeled).toEqual([]);
  });

  test("the images are exactly the skaffold artifacts, plus the pinned Envoy image", () => {
    const images = deployments().map((d) => containerOf(d).image as string);
    const artifacts = skaffold.build.artifacts.map((a: any) => a.image);
    expect([...new Set(images.filter((i) => !ENVOY_IMAGE.test(i)))].sort()).toEqual([...artifacts].sort());
    expect(images.filter((i) => ENVOY_IMAGE.test(i))).toHaveLength(1);
    expect([...COMPONENTS.map((c) => c.image), WORKER.image].sort()).toEqual([...artifacts].sort());
    for (const c of COMPONENTS) expect(containerOf(deploymentOf(c)).image).toBe(c.image);
  });

  test("each Deployment's selector matches its own pod labels", () => {
    for (const d of deployments()) {
      expect(matches(d.spec.selector.matchLabels, d.spec.template.metadata.labels)).toBe(true);
      expect(d.spec.selector.matchLabels["app.kubernetes.io/name"]).toBe(d.metadata.name);
    }
  });

  test("each Service selects the pods of exactly one workload, and its targetPorts are container ports", () => {
    for (const service of byKind(objects(), "Service")) {
      const selected = workloads().filter((d) => matches(service.spec.selector, d.spec.template.metadata.labels));
      // api-gateway-headless is Envoy's per-pod view of the gateway.
      expect(selected.map((d) => d.metadata.name)).toEqual([service.metadata.name.replace(/-headless$/, "")]);
      for (const port of service.spec.ports)
        expect(resolvePort(containerOf(selected[0]!), port.targetPort ?? port.port)).toBeDefined();
    }
  });

  test.each(COMPONENTS)("$name listens where the code does, and its Service exposes it", (c) => {
    const container = containerOf(deploymentOf(c));
    const servicePort = { name: c.protocol, containerPort: c.defaultPort, protocol: "TCP" };
    // gRPC services also serve Prometheus metrics on a port of their own (the gateway on its http port).
    const metricsPort = { name: "metrics", containerPort: SERVICE_METRICS_PORT, protocol: "TCP" };
    const healthPort = {
      name: "grpc-health",
      containerPort: Number(literalEnv(container).GRPC_HEALTH_PORT),
      protocol: "TCP",
    };
    expect(container.ports).toEqual(c.protocol === "grpc" ? [servicePort, metricsPort, healthPort] : [servicePort]);
    expect(literalEnv(container).METRICS_PORT ?? String(SERVICE_METRICS_PORT)).toBe(String(SERVICE_METRICS_PORT));
    const scrape = deploymentOf(c).spec.template.metadata.annotations ?? {};
    expect(scrape["prometheus.io/scrape"]).toBe("true");
    expect(Number(scrape["prometheus.io/port"])).toBe(c.protocol === "grpc" ? SERVICE_METRICS_PORT : c.defaultPort);
    const port = literalEnv(container).PORT;
    if (port !== undefined) expect(Number(port)).toBe(c.defaultPort);
    const dockerfile = dockerfileText(imageBuild(c.image));
    expect(dockerfile).toMatch(new RegExp(`^EXPOSE ${c.defaultPort}$`, "m"));
    const service = findObject(objects(), "Service", c.name);
    if (c.protocol === "grpc") {
      // Headless, so grpc-js sees every pod; the port keeps the code's number.
      expect(service.spec.clusterIP).toBe("None");
      expect(service.spec.ports).toEqual([{ name: "grpc", port: c.defaultPort, targetPort: "grpc", protocol: "TCP" }]);
    } else {
      expect(service.spec.type).toBe("ClusterIP");
      expect(service.spec.ports).toEqual([{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }]);
    }
  });

  test.each([...COMPONENTS, WORKER])("$name sets only variables its code reads, with values the code accepts", (c) => {
    const container = containerOf(findObject(objects(), "Deployment", c.name));
    // ...and the one Bun itself reads at start, the RAM its JavaScript heap is sized for.
    const known = [...Object.keys(c.envSchema.shape), JSC_RAM_SIZE_ENV];
    for (const entry of container.env ?? []) {
      expect(known).toContain(entry.name);
      if (entry.value !== undefined) expect(c.envSchema.shape[entry.name]!.safeParse(entry.value).success).toBe(true);
    }
    // Defaults that only make sense on a laptop must be overridden.
    const defaults = c.envSchema.parse({});
    const localOnly = Object.entries(defaults)
      .filter(([, v]) => typeof v === "string" && /localhost|127\.0\.0\.1|dev-only/.test(v))
      .map(([k]) => k);
    for (const name of localOnly) expect(Object.keys(envMap(container))).toContain(name);
  });

  test("the gateway reaches each service through dns:/// and its headless Service's real name and port", () => {
    const env = envMap(containerOf(findObject(objects(), "Deployment", "api-gateway")));
    for (const [variable, name] of Object.entries(UPSTREAM_URL_VARS)) {
      const match = /^dns:\/\/\/([a-z0-9-]+):(\d+)$/.exec(env[variable]?.value ?? "");
      expect(match, `${variable}=${env[variable]?.value}`).not.toBeNull();
      const [, host, port] = match!;
      expect(host).toBe(name);
      const service = findObject(objects(), "Service", host!);
      expect(service.spec.clusterIP).toBe("None");
      const servicePort = service.spec.ports.find((p: any) => p.port === Number(port));
      expect(servicePort).toBeDefined();
      const target = findObject(objects(), "Deployment", name);
      expect(resolvePort(containerOf(target), servicePort.targetPort)).toBe(Number(port));
    }
  });

  test("the gateway takes JWT_* from Secret jwt-secret", () => {
    const env = envMap(containerOf(findObject(objects(), "Deployment", "api-gateway")));
    for (const key of JWT_SECRET_KEYS)
      expect(env[key]).toEqual({ name: key, valueFrom: { secretKeyRef: { name: "jwt-secret", key } } });
  });

  test.each(COMPONENTS.filter((c) => c.protocol === "grpc"))(
    "$name has native gRPC startup, readiness and liveness probes on its health port",
    (c) => {
      const container = containerOf(deploymentOf(c));
      for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
        // The plaintext health-only port the code opens for GRPC_HEALTH_PORT (the service port may require mTLS).
        const healthPort = Number(literalEnv(container).GRPC_HEALTH_PORT);
        expect(resolvePort(container, "grpc-health")).toBe(healthPort);
        expect(container[probe]?.grpc).toEqual({ port: healthPort });
      }
    },
  );

  test("the gateway's probes hit real routes: /healthz (alive) and /readyz (ready)", async () => {
    const container = containerOf(findObject(objects(), "Deployment", "api-gateway"));
    expect(container.livenessProbe.httpGet.path).toBe("/healthz");
    expect(container.startupProbe.httpGet.path).toBe("/healthz");
    expect(container.readinessProbe.httpGet.path).toBe("/readyz");
    for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
      const { path, port } = container[probe].httpGet;
      expect(resolvePort(container, port)).toBe(COMPONENTS[0]!.defaultPort);
      const response = await gateway.app.handle(new Request(`http://localhost${path}`));
      expect(response.status).toBe(200);
    }
    // A path the gateway does not serve answers 404, so the 200s above mean something.
    expect((await gateway.app.handle(new Request("http://localhost/no-such-probe"))).status).toBe(404);
  });

  test("Secrets: jwt-secret with exactly the seed's keys, envoy-jwks with the same key, gateway-admin: generated in dev, never committed for prod", () => {
    const secrets = byKind(objects(), "Secret");
    if (overlay === "dev") {
      expect(secrets.map((s) => s.metadata.name).sort()).toEqual([
        "envoy-jwks",
        "gateway-admin",
        "jobs-db",
        "jwt-secret",
        "pipelines-db",
        "postgres-credentials",
        "users-db",
      ]);
      const jwtSecret = findObject(objects(), "Secret", "jwt-secret");
      const key = Buffer.from(jwtSecret.data.JWT_SECRET_KEY.replace(/\s/g, ""), "base64").toString();
      // Envoy's JWKS holds the very key the gateway signs with.
      const jwks = JSON.parse(
        Buffer.from(findObject(objects(), "Secret", "envoy-jwks").data["jwks.json"], "base64").toString(),
      );
      expect(jwks).toEqual(JSON.parse(jwksFor(key, "HS256")));
      expect(Object.keys(jwtSecret.data).sort()).toEqual([...JWT_SECRET_KEYS].sort());
      expect(key).toContain("dev-only");
      expect(Object.keys(findObject(objects(), "Secret", "gateway-admin").data).sort()).toEqual([
        "ADMIN_PASSWORD",
        "ADMIN_USERNAME",
      ]);
    } else {
      expect(secrets).toEqual([]);
    }
  });

  test("every Secret a pod uses is generated by the overlay (dev) or one the README tells operators to create (prod)", async () => {
    const readme = await Bun.file(new URL("../../k8s/README.md", import.meta.url)).text();
    const uses: { name: string; key?: string }[] = [];
    for (const d of deployments()) {
      for (const variable of containerOf(d).env ?? [])
        if (variable.valueFrom?.secretKeyRef) uses.push(variable.valueFrom.secretKeyRef);
      for (const volume of podSpec(d).volumes ?? []) if (volume.secret) uses.push({ name: volume.secret.secretName });
    }
    expect(uses.length).toBeGreaterThan(0);
    for (const ref of uses) {
      if (overlay === "dev") {
        const secret = findObject(objects(), "Secret", ref.name);
        if (ref.key) expect(Object.keys(secret.data)).toContain(ref.key);
      } else {
        expect(readme).toContain(`kubectl create secret generic ${ref.name}`);
      }
    }
  });

  test("the worker runs its own image's entry point, against the jobs Service", () => {
    const container = containerOf(findObject(objects(), "Deployment", WORKER.name));
    expect(container.image).toBe(WORKER.image);
    // The image's CMD (bun dist/main.js in /app/worker: its bundle), or in dev its sources under bun --watch.
    expect(dockerfileText(imageBuild(WORKER.image))).toMatch(/^CMD \["bun", "dist\/main.js"\]$/m);
    if (overlay === "dev") {
      expect(container.command).toEqual(["bun", "--watch", "src/main.ts"]);
      expect(Bun.file(new URL(`../../${WORKER.workspace}/src/main.ts`, import.meta.url)).size).toBeGreaterThan(0);
    } else expect(container.command).toBeUndefined();
    expect(envMap(container).JOBS_SERVICE_URL.value).toBe("dns:///jobs:50052");
  });

  test("the worker is scraped and probed for liveness on its metrics port, which serves /metrics and /healthz", async () => {
    const deployment = findObject(objects(), "Deployment", WORKER.name);
    const container = containerOf(deployment);
    expect(container.ports).toEqual([{ name: "metrics", containerPort: SERVICE_METRICS_PORT, protocol: "TCP" }]);
    expect(deployment.spec.template.metadata.annotations).toMatchObject({
      "prometheus.io/scrape": "true",
      "prometheus.io/port": String(SERVICE_METRICS_PORT),
      "prometheus.io/path": "/metrics",
    });
    expect(container.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "metrics" });
    // The worker's default METRICS_PORT is the one the manifest names.
    expect(parseConfig(workerConfigSchema, {}).METRICS_PORT).toBe(SERVICE_METRICS_PORT);
    const server = startMetricsServer({ host: "127.0.0.1", port: 0, logger: createLogger("test", "silent") });
    try {
      for (const path of ["/healthz", "/metrics"])
        expect((await fetch(`http://127.0.0.1:${server.port}${path}`)).status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  test("each service reads DATABASE_URL from its own Secret; pipelines reach jobs through its headless Service", () => {
    for (const name of ["users", "jobs", "pipelines"]) {
      const env = envMap(containerOf(findObject(objects(), "Deployment", name)));
      expect(env.DATABASE_URL.valueFrom.secretKeyRef).toEqual({ name: `${name}-db`, key: "DATABASE_URL" });
      if (overlay === "dev") {
        const url = Buffer.from(findObject(objects(), "Secret", `${name}-db`).data.DATABASE_URL, "base64").toString();
        // The dev PostgreSQL Service, and a database of the service's own.
        expect(url).toMatch(new RegExp(`^postgres://${name}:[^@]+@postgres:5432/${name}$`));
      }
    }
    expect(envMap(containerOf(findObject(objects(), "Deployment", "pipelines"))).JOBS_SERVICE_URL.value).toBe(
      "dns:///jobs:50052",
    );
  });

  test("one ServiceAccount per component, with no API token mounted", () => {
    for (const d of deployments()) {
      const account = findObject(objects(), "ServiceAccount", podSpec(d).serviceAccountName);
      expect(account.metadata.name).toBe(d.metadata.name);
      expect(account.automountServiceAccountToken).toBe(false);
      expect(podSpec(d).automountServiceAccountToken).toBe(false);
    }
    expect(byKind(objects(), "ServiceAccount")).toHaveLength(workloads().length);
  });

  test("every container is hardened and bounded", () => {
    for (const d of deployments()) {
      const container = containerOf(d);
      const uid = ENVOY_IMAGE.test(container.image) ? IMAGE_UIDS.envoy : IMAGE_UIDS.bun;
      const sc = container.securityContext;
      expect(sc.runAsNonRoot).toBe(true);
      expect(sc.runAsUser).toBe(uid);
      expect(podSpec(d).securityContext.runAsUser).toBe(uid);
      expect(sc.allowPrivilegeEscalation).toBe(false);
      expect(sc.capabilities).toEqual({ drop: ["ALL"] });
      expect(sc.seccompProfile).toEqual({ type: "RuntimeDefault" });
      // dev alone relaxes this for the Bun containers, so skaffold can sync sources.
      const writableInDev = overlay === "dev" && !ENVOY_IMAGE.test(container.image);
      expect(sc.readOnlyRootFilesystem).toBe(!writableInDev);
      expect(container.volumeMounts).toContainEqual({ name: "tmp", mountPath: "/tmp" });
      expect(podSpec(d).volumes).toContainEqual({ name: "tmp", emptyDir: { sizeLimit: "64Mi" } });
      for (const bound of ["requests", "limits"]) {
        expect(container.resources[bound].cpu).toBeDefined();
        expect(container.resources[bound].memory).toBeDefined();
      }
    }
  });

  test("a pod that hashes passwords holds its argon2id runs under its memory limit, one per CPU of its limit", () => {
    const hashing = COMPONENTS.filter((c) => "PASSWORD_HASH_CONCURRENCY" in c.envSchema.shape);
    expect(hashing.map((c) => c.name).sort()).toEqual(["api-gateway", "users"]);
    for (const component of hashing) {
      const container = containerOf(deploymentOf(component));
      const config = component.envSchema.parse(literalEnv(container));
      const concurrency = Number(config.PASSWORD_HASH_CONCURRENCY);
      const { cpu, memory } = container.resources.limits;
      expect(concurrency).toBeLessThanOrEqual(Math.max(1, Math.ceil(cpuCores(cpu))));
      // Its peak without logins (k8s/README.md, memory per pod) plus every run in flight.
      const peak = LOAD_PEAK_MIB[component.name]! + concurrency * ARGON2_MIB;
      expect(peak).toBeLessThanOrEqual(memoryMiB(memory));
    }
  });

  test("every Bun pod sizes its JavaScript heap for its own memory limit, the limit `bun run dev` gives the process too", () => {
    const workspaceOf = Object.fromEntries(Object.entries(COMPONENT_WORKSPACES).map(([name, w]) => [w, name]));
    for (const c of [...COMPONENTS, WORKER]) {
      const container = containerOf(findObject(objects(), "Deployment", c.name));
      expect(envMap(container)[JSC_RAM_SIZE_ENV], c.name).toEqual({
        name: JSC_RAM_SIZE_ENV,
        valueFrom: { resourceFieldRef: { resource: "limits.memory" } },
      });
      const component = workspaceOf[c.workspace] as ComponentName;
      expect(memoryMiB(container.resources.limits.memory), c.name).toBe(POD_MEMORY_LIMIT_MIB[component]);
    }
  });

  test("termination grace covers preStop plus the shutdown the process is configured for", () => {
    for (const d of deployments()) {
      const container = containerOf(d);
      const preStop = container.lifecycle.preStop.sleep.seconds as number;
      expect(preStop).toBeGreaterThan(0);
      const component = COMPONENTS.find((c) => c.name === d.metadata.name);
      // Envoy stops at once on SIGTERM; give open requests 5 s past the preStop sleep.
      let shutdownSeconds = 5;
      if (component) {
        const config = component.envSchema.parse(literalEnv(container));
        shutdownSeconds = (Number(config.SHUTDOWN_DELAY_MS ?? 0) + Number(config.SHUTDOWN_TIMEOUT_MS)) / 1000;
      } else if (d.metadata.name === WORKER.name) {
        shutdownSeconds = Number(WORKER.envSchema.parse(literalEnv(container)).WORKER_SHUTDOWN_TIMEOUT_MS) / 1000;
      }
      expect(podSpec(d).terminationGracePeriodSeconds).toBeGreaterThanOrEqual(preStop + shutdownSeconds);
    }
  });

  test("the Ingress routes to Service api-gateway's http port", () => {
    const ingress = findObject(objects(), "Ingress", "api-gateway");
    const backend = ingress.spec.rules[0].http.paths[0].backend.service;
    const service = findObject(objects(), "Service", backend.name);
    expect(service.spec.ports.map((p: any) => p.name)).toContain(backend.port.name);
  });
});

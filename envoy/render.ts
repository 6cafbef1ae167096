// Renders the edge configuration from the edge settings in the environment
// (envoy/settings.ts: EDGE_RATE_LIMIT_*, EDGE_TRUSTED_HOPS, JWT_ISSUER, JWT_AUDIENCE,
// JWT_CLOCK_SKEW_SECONDS; the defaults when unset):
//   bun envoy/render.ts --target k8s            writes k8s/base/envoy/envoy.yaml
//   bun envoy/render.ts --target k8s --check    fails if that file is stale
//   bun envoy/render.ts --target local --gateways 127.0.0.1:8000,127.0.0.1:8001 [--out FILE]
import { join } from "node:path";
import { parseArgs } from "node:util";
import { defaultsFor, parseHostPort, renderEdgeConfig, type EdgeTarget } from "./config";
import { DEFAULT_EDGE_SETTINGS, loadEdgeSettings, type EdgeSettings } from "./settings";

export const K8S_CONFIG_PATH = join(import.meta.dir, "..", "k8s", "base", "envoy", "envoy.yaml");

/** The Kubernetes rendering for `settings`; with the defaults, exactly what the committed file should read. */
export const renderK8s = (settings: Readonly<EdgeSettings> = DEFAULT_EDGE_SETTINGS) =>
  renderEdgeConfig(defaultsFor("k8s", settings));

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      target: { type: "string", default: "k8s" },
      gateways: { type: "string" },
      out: { type: "string" },
      check: { type: "boolean", default: false },
    },
  });
  const target = values.target as EdgeTarget;
  if (target !== "k8s" && target !== "local") {
    console.error("--target must be k8s or local");
    process.exit(2);
  }
  const settings = loadEdgeSettings();
  let text: string;
  if (target === "k8s") {
    text = renderK8s(settings);
  } else {
    const options = defaultsFor("local", settings);
    if (values.gateways) options.gateway = { kind: "static", addresses: values.gateways.split(",").map(parseHostPort) };
    text = renderEdgeConfig(options);
  }
  const out = values.out ?? (target === "k8s" ? K8S_CONFIG_PATH : undefined);
  if (values.check) {
    if (!out) throw new Error("--check needs a file (--out, or --target k8s)");
    const current = await Bun.file(out)
      .text()
      .catch(() => "");
    if (current !== text) {
      console.error(`${out} is stale: run bun envoy/render.ts --target ${target}`);
      process.exit(1);
    }
  } else if (out) {
    await Bun.write(out, text);
    console.error(`wrote ${out}`);
  } else {
    process.stdout.write(text);
  }
}

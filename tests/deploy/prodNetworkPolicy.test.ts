// The prod overlay's NetworkPolicies, evaluated offline: ingress is denied by
// default, and exactly the calls the system makes are allowed (outside → Envoy →
// gateway → services, pipelines → jobs, worker → jobs).
import { describe, expect, test } from "bun:test";
import { containerOf, matches, resolvePort } from "./support/pods";
import { byKind, findObject, renderOverlay } from "./support/repo";

describe("k8s/overlays/prod network policy", () => {
  /** A component's name, or "outside" for a client outside the cluster. */
  type Peer = string;
  const objects = () => renderOverlay("prod");
  const podLabels = (app: string) => findObject(objects(), "Deployment", app).spec.template.metadata.labels;

  /** Would the policies let `from` open a TCP connection to pods of `to` on `port`? (Ingress rules only; same namespace.) */
  function allowed(from: Peer, to: string, port: number): boolean {
    const target = findObject(objects(), "Deployment", to);
    const policies = byKind(objects(), "NetworkPolicy").filter(
      (p) =>
        p.spec.policyTypes.includes("Ingress") &&
        matches(p.spec.podSelector.matchLabels, target.spec.template.metadata.labels),
    );
    if (policies.length === 0) return true;
    return policies.some((policy) =>
      (policy.spec.ingress ?? []).some((rule: any) => {
        const peerOk =
          !rule.from ||
          rule.from.some((peer: any) =>
            from === "outside"
              ? false // namespaceSelector / podSelector peers are in-cluster; an ipBlock would be needed
              : peer.podSelector && !peer.namespaceSelector && matches(peer.podSelector.matchLabels, podLabels(from)),
          );
        const portOk = !rule.ports || rule.ports.some((p: any) => resolvePort(containerOf(target), p.port) === port);
        return peerOk && portOk;
      }),
    );
  }

  test("ingress is denied by default in the namespace", () => {
    const deny = findObject(objects(), "NetworkPolicy", "default-deny-ingress");
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress"] });
  });

  test.each([
    ["outside", "envoy", 8080],
    ["envoy", "api-gateway", 8000],
    ["api-gateway", "users", 50051],
    ["api-gateway", "jobs", 50052],
    ["api-gateway", "pipelines", 50053],
    ["pipelines", "jobs", 50052],
    ["jobs-worker", "jobs", 50052],
  ] as [Peer, string, number][])("allows %s -> %s:%d", (from, to, port) => {
    expect(allowed(from, to, port)).toBe(true);
  });

  test.each([
    ["outside", "api-gateway", 8000],
    ["outside", "users", 50051],
    ["envoy", "users", 50051],
    ["envoy", "jobs", 50052],
    ["users", "jobs", 50052],
    ["jobs", "pipelines", 50053],
    ["pipelines", "users", 50051],
    ["api-gateway", "users", 50052],
    ["jobs-worker", "users", 50051],
    ["jobs-worker", "pipelines", 50053],
    ["envoy", "users", 9464],
  ] as [Peer, string, number][])("denies %s -> %s:%d", (from, to, port) => {
    expect(allowed(from, to, port)).toBe(false);
  });

  test("the Ingress controller's namespace may reach the gateway's http port", () => {
    const policy = findObject(objects(), "NetworkPolicy", "api-gateway-from-edge");
    const peers = policy.spec.ingress.flatMap((r: any) => r.from);
    expect(peers.some((p: any) => p.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"])).toBe(true);
  });
});

// The prod overlay keeps the system up through node drains and load: every
// Deployment runs two or more replicas with a disruption budget and spreads over
// nodes, and the gateway scales with an autoscaler.
import { describe, expect, test } from "bun:test";
import { containerOf, matches, podSpec } from "./support/pods";
import { byKind, findObject, renderOverlay } from "./support/repo";

describe("k8s/overlays/prod availability", () => {
  const objects = () => renderOverlay("prod");

  test("every Deployment runs at least two replicas", () => {
    for (const d of byKind(objects(), "Deployment")) expect(d.spec.replicas).toBeGreaterThanOrEqual(2);
  });

  test("every Deployment has a PodDisruptionBudget selecting its pods and leaving one up", () => {
    for (const d of byKind(objects(), "Deployment")) {
      const budgets = byKind(objects(), "PodDisruptionBudget").filter((b) =>
        matches(b.spec.selector.matchLabels, d.spec.template.metadata.labels),
      );
      expect(budgets).toHaveLength(1);
      expect(budgets[0]!.spec.maxUnavailable ?? d.spec.replicas - budgets[0]!.spec.minAvailable).toBeLessThan(
        d.spec.replicas,
      );
    }
  });

  test("the gateway scales with a HorizontalPodAutoscaler (autoscaling/v2) from two replicas", () => {
    const hpa = findObject(objects(), "HorizontalPodAutoscaler", "api-gateway");
    expect(hpa.apiVersion).toBe("autoscaling/v2");
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: "api-gateway" });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(containerOf(findObject(objects(), "Deployment", "api-gateway")).resources.requests.cpu).toBeDefined();
  });

  test("every Deployment spreads its own pods over nodes", () => {
    for (const d of byKind(objects(), "Deployment")) {
      const constraints = podSpec(d).topologySpreadConstraints ?? [];
      const byHost = constraints.find((c: any) => c.topologyKey === "kubernetes.io/hostname");
      expect(byHost).toBeDefined();
      expect(matches(byHost.labelSelector.matchLabels, d.spec.template.metadata.labels)).toBe(true);
    }
  });
});

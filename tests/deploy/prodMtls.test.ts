// The prod overlay turns on mutual TLS between every gRPC peer (Secret grpc-tls,
// mounted read-only, named by the GRPC_TLS_* variables); dev stays plaintext.
import { describe, expect, test } from "bun:test";
import { COMPONENTS, WORKER } from "./support/components";
import { containerOf, literalEnv, podSpec } from "./support/pods";
import { byKind, findObject, renderOverlay } from "./support/repo";

describe("k8s/overlays/prod mTLS", () => {
  const objects = () => renderOverlay("prod");

  test("every gRPC peer (gateway, services, worker) mounts grpc-tls and names files that are in it", () => {
    const peers = [...COMPONENTS.map((c) => c.name), WORKER.name];
    for (const name of peers) {
      const deployment = findObject(objects(), "Deployment", name);
      const container = containerOf(deployment);
      const volume = podSpec(deployment).volumes.find((v: any) => v.secret?.secretName === "grpc-tls");
      expect(volume).toBeDefined();
      const mount = container.volumeMounts.find((m: any) => m.name === volume.name);
      expect(mount.readOnly).toBe(true);
      const env = literalEnv(container);
      expect(env.GRPC_TLS_CA_FILE).toBe(`${mount.mountPath}/ca.crt`);
      expect(env.GRPC_TLS_CERT_FILE).toBe(`${mount.mountPath}/tls.crt`);
      expect(env.GRPC_TLS_KEY_FILE).toBe(`${mount.mountPath}/tls.key`);
    }
  });

  test("dev stays plaintext", () => {
    for (const d of byKind(renderOverlay("dev"), "Deployment"))
      expect(literalEnv(containerOf(d)).GRPC_TLS_CA_FILE).toBeUndefined();
  });
});

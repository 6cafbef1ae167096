// Real certificates for mutual TLS tests, made with the machine's openssl in a
// temporary directory: a CA, a service certificate it signs (SANs localhost and
// 127.0.0.1, usable as server and as client, as services call each other), a
// client-only certificate it signs (the gateway's), and a client certificate
// signed by another CA (which our servers must refuse).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GrpcTls } from "./grpcTls";

export interface CertificateFiles {
  ca: string;
  cert: string;
  key: string;
}

export interface TestCertificates {
  dir: string;
  /** The CA every party trusts. */
  caFile: string;
  /** Server and client certificate of the services (extendedKeyUsage serverAuth, clientAuth). */
  service: CertificateFiles;
  /** Client-only certificate, signed by the CA (the gateway's). */
  client: CertificateFiles;
  /** Client certificate signed by a CA nobody trusts; `ca` is still ours, so the client trusts our servers. */
  foreign: CertificateFiles;
  /** GRPC_TLS_* variables for these files. */
  env(files: CertificateFiles, serverName?: string): Record<string, string>;
  /** The same files loaded, for in-process servers and clients. */
  tls(files: CertificateFiles, serverName?: string): GrpcTls;
  remove(): void;
}

/** openssl, installed with apt-get when the machine lacks it. */
function ensureOpenssl(): string {
  const found = Bun.which("openssl");
  if (found) return found;
  const run = (args: string[]) =>
    Bun.spawnSync(args, {
      stdout: "ignore",
      stderr: "pipe",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  const sudo = process.getuid?.() === 0 ? [] : ["sudo", "-n"];
  if (run([...sudo, "apt-get", "install", "-y", "-q", "openssl"]).exitCode !== 0) {
    run([...sudo, "apt-get", "update", "-q"]);
    const installed = run([...sudo, "apt-get", "install", "-y", "-q", "openssl"]);
    if (installed.exitCode !== 0)
      throw new Error(`openssl is missing and apt-get could not install it: ${installed.stderr.toString().trim()}`);
  }
  const openssl = Bun.which("openssl");
  if (!openssl) throw new Error("openssl is missing after apt-get install openssl");
  return openssl;
}

export function createTestCertificates(): TestCertificates {
  const openssl = ensureOpenssl();
  const dir = mkdtempSync(join(tmpdir(), "grpc-tls-"));
  const path = (name: string) => join(dir, name);
  const run = (...args: string[]) => {
    const result = Bun.spawnSync([openssl, ...args], { cwd: dir, stdout: "pipe", stderr: "pipe" });
    if (result.exitCode !== 0) throw new Error(`openssl ${args.join(" ")} failed: ${result.stderr.toString()}`);
  };
  // P-256 keys: as good as RSA here and much faster to make.
  const newKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  const authority = (name: string) =>
    run(
      "req",
      "-x509",
      ...newKey,
      "-keyout",
      `${name}.key`,
      "-out",
      `${name}.pem`,
      "-days",
      "2",
      "-subj",
      `/CN=${name}`,
    );
  const issue = (name: string, ca: string, extensions: string) => {
    writeFileSync(path(`${name}.ext`), extensions);
    run("req", ...newKey, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${name}`);
    run(
      "x509",
      "-req",
      "-in",
      `${name}.csr`,
      "-CA",
      `${ca}.pem`,
      "-CAkey",
      `${ca}.key`,
      "-CAcreateserial",
      "-out",
      `${name}.pem`,
      "-days",
      "2",
      "-extfile",
      `${name}.ext`,
    );
  };
  authority("test-ca");
  authority("other-ca");
  issue("service", "test-ca", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n");
  issue("gateway", "test-ca", "extendedKeyUsage=clientAuth\n");
  issue("intruder", "other-ca", "extendedKeyUsage=clientAuth\n");

  const files = (name: string): CertificateFiles => ({
    ca: path("test-ca.pem"),
    cert: path(`${name}.pem`),
    key: path(`${name}.key`),
  });
  return {
    dir,
    caFile: path("test-ca.pem"),
    service: files("service"),
    client: files("gateway"),
    foreign: files("intruder"),
    env: (f, serverName) => ({
      GRPC_TLS_CA_FILE: f.ca,
      GRPC_TLS_CERT_FILE: f.cert,
      GRPC_TLS_KEY_FILE: f.key,
      ...(serverName ? { GRPC_TLS_SERVER_NAME: serverName } : {}),
    }),
    tls: (f, serverName) => ({
      ca: readFileSync(f.ca),
      cert: readFileSync(f.cert),
      key: readFileSync(f.key),
      serverName,
    }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

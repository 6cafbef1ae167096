// Transport security of every gRPC connection, in one place: plaintext unless
// GRPC_TLS_CA_FILE, GRPC_TLS_CERT_FILE and GRPC_TLS_KEY_FILE name PEM files
// (mounted from a Secret), then mutual TLS: servers present the certificate and
// demand one signed by the CA from every client; clients present the same
// certificate and accept only servers the CA signed.
//
// A process loads its settings once at start (loadGrpcTls, in runGrpcService or
// its main) and passes them to every server and client it makes as an option.
import * as grpc from "@grpc/grpc-js";
import { isIP } from "node:net";
import { readFileSync } from "node:fs";
import { createSecureContext } from "node:tls";
import { z } from "zod";
import { ConfigError } from "./config";

export const GRPC_TLS_FILE_VARIABLES = ["GRPC_TLS_CA_FILE", "GRPC_TLS_CERT_FILE", "GRPC_TLS_KEY_FILE"] as const;

/** The TLS settings every process that speaks gRPC reads. */
export const grpcTlsConfigShape = {
  GRPC_TLS_CA_FILE: z.string().trim().min(1).optional(),
  GRPC_TLS_CERT_FILE: z.string().trim().min(1).optional(),
  GRPC_TLS_KEY_FILE: z.string().trim().min(1).optional(),
  GRPC_TLS_SERVER_NAME: z
    .string()
    .trim()
    .regex(
      /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/i,
      "must be a DNS name such as jobs or jobs.microservices.svc",
    )
    .optional(),
};
export type GrpcTlsConfig = z.output<z.ZodObject<typeof grpcTlsConfigShape>>;

/** Loaded PEM material; `undefined` or `null` where a GrpcTls is expected means plaintext. */
export interface GrpcTls {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
  /** The name server certificates must carry, instead of the host of each target. */
  serverName?: string | undefined;
}

/**
 * Checks the settings and reads the files: undefined when none of the three
 * files is set; a ConfigError naming the variables when only some are, when a
 * file cannot be read, or when its contents are not a usable CA, certificate
 * and matching key.
 */
export function loadGrpcTls(config: GrpcTlsConfig): GrpcTls | undefined {
  const set = GRPC_TLS_FILE_VARIABLES.filter((name) => config[name] !== undefined);
  if (set.length === 0) {
    if (config.GRPC_TLS_SERVER_NAME !== undefined)
      throw new ConfigError([
        `GRPC_TLS_SERVER_NAME: only means something with ${GRPC_TLS_FILE_VARIABLES.join(", ")} set (TLS is off)`,
      ]);
    return undefined;
  }
  if (set.length < GRPC_TLS_FILE_VARIABLES.length) {
    const missing = GRPC_TLS_FILE_VARIABLES.filter((name) => config[name] === undefined);
    const verb = set.length === 1 ? "is" : "are";
    throw new ConfigError(
      missing.map(
        (name) =>
          `${name}: must be set too, since ${set.join(" and ")} ${verb} (mutual TLS needs all of ${GRPC_TLS_FILE_VARIABLES.join(", ")}, or none) (unset)`,
      ),
    );
  }
  const problems: string[] = [];
  const read = (name: (typeof GRPC_TLS_FILE_VARIABLES)[number]) => {
    const path = config[name]!;
    try {
      return readFileSync(path);
    } catch (error) {
      problems.push(
        `${name}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      );
      return undefined;
    }
  };
  const [ca, cert, key] = GRPC_TLS_FILE_VARIABLES.map(read);
  if (!ca || !cert || !key) throw new ConfigError(problems);
  // Parse now, so a wrong file or a key that does not match the certificate stops the process at start, not at the first call.
  for (const [names, options] of [
    ["GRPC_TLS_CA_FILE", { ca }],
    ["GRPC_TLS_CERT_FILE, GRPC_TLS_KEY_FILE", { cert, key }],
  ] as const) {
    try {
      createSecureContext(options);
    } catch (error) {
      problems.push(
        `${names}: not a usable PEM ${names === "GRPC_TLS_CA_FILE" ? "CA certificate" : "certificate and matching private key"} (${(error as Error).message})`,
      );
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { ca, cert, key, serverName: config.GRPC_TLS_SERVER_NAME };
}

/**
 * Client side: credentials and the channel options that go with them for a
 * channel to `target`. Throws for an IP-address target without a server name:
 * Bun's TLS refuses an IP address as the server name (SNI), so every call
 * would fail with UNAVAILABLE; better to say so at start.
 */
export function grpcClientTransport(
  target: string,
  tls: GrpcTls | null | undefined,
): { credentials: grpc.ChannelCredentials; options: grpc.ChannelOptions } {
  if (!tls) return { credentials: grpc.credentials.createInsecure(), options: {} };
  if (!tls.serverName && isIP(targetHost(target))) {
    throw new ConfigError([
      `GRPC_TLS_SERVER_NAME: must be set when a gRPC target is an IP address with TLS on (target ${target}); name a DNS name in the server's certificate`,
    ]);
  }
  return {
    credentials: grpc.credentials.createSsl(tls.ca, tls.key, tls.cert),
    options: tls.serverName ? { "grpc.ssl_target_name_override": tls.serverName } : {},
  };
}

/** The host part of a grpc-js target: `dns:///jobs:50052` → jobs, `ipv4:10.0.0.1:5,10.0.0.2:5` → 10.0.0.1, `[::1]:50051` → ::1. */
export function targetHost(target: string): string {
  let rest = target;
  const scheme = /^(?:dns|ipv4|ipv6|unix|unix-abstract):/i.exec(rest);
  if (scheme) {
    rest = rest.slice(scheme[0].length);
    // dns://resolver/host:port names the DNS server first.
    if (rest.startsWith("//")) rest = rest.slice(rest.indexOf("/", 2) + 1);
  }
  const first = rest.split(",")[0]!;
  const bracketed = /^\[([^\]]+)\]/.exec(first);
  if (bracketed) return bracketed[1]!;
  return first.split(":").length === 2 ? first.slice(0, first.lastIndexOf(":")) : first;
}

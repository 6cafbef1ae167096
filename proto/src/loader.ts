// The one place that turns .proto files into gRPC definitions: the whole
// package (index.ts) and a single contract's entry (jobs.ts) load through it.
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { join } from "node:path";

/** The directory holding the .proto files (also what reflection and tooling read). */
export const PROTO_DIR = join(import.meta.dir, "..");

/**
 * How the contracts are turned into JavaScript: int64 as decimal strings (no
 * precision loss), enums as their names, defaults filled in. scripts/gen.ts
 * passes the same flags to proto-loader-gen-types.
 */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_DIR],
};

/** Loads contract files (relative to PROTO_DIR, their imports included) with LOADER_OPTIONS. */
export function loadContracts<T>(files: readonly string[]): {
  packageDefinition: protoLoader.PackageDefinition;
  loaded: T;
} {
  const packageDefinition = protoLoader.loadSync([...files], LOADER_OPTIONS);
  return { packageDefinition, loaded: grpc.loadPackageDefinition(packageDefinition) as unknown as T };
}

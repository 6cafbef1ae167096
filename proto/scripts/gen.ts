// Regenerates the TypeScript types in src/generated from the .proto files
// (or into the directory given as the first argument, for the drift test).
// The flags must match LOADER_OPTIONS in src/loader.ts, or the types lie.
import { $ } from "bun";
import { rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { PROTO_FILES } from "../src/files";

const root = join(import.meta.dir, "..");
const outDir = resolve(process.argv[2] ?? join(root, "src/generated"));

await rm(outDir, { recursive: true, force: true });
await $`${join(root, "node_modules/.bin/proto-loader-gen-types")} --keepCase --longs=String --enums=String --defaults --oneofs --grpcLib=@grpc/grpc-js --includeComments --outDir=${outDir} ${PROTO_FILES}`
  .cwd(root)
  .quiet();
console.log(`generated types for ${PROTO_FILES.join(", ")} in ${outDir}`);

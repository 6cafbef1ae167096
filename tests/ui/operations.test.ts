// The console's operations pages in Chromium against the whole system as real
// processes: schedules (create with an inline error first, pause, resume,
// delete after confirming, a schedule that fires and links its last job), queues (depth
// per kind and per kind and queue after jobs are submitted, a count's link to the job list
// filtered by kind, queue and status, bulk retry of a kind's FAILED jobs) and a failed pipeline's
// retry and re-run buttons. No reference worker runs: jobs fail at the hands
// of a worker account through the API, so nothing here moves on its own.
// Screenshots go to test-artifacts/console/ (UPDATE_SCREENSHOTS=1: docs/screenshots/).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { REPO_ROOT, type RunningSystem, startSystem } from "@platform/harness";
import { launchBrowser, type Browser } from "./browser";
import { type ApiCall, apiClient, eventually, handWorker, openFromNav, signIn, WAIT } from "./support";

const SHOTS =
  process.env.UPDATE_SCREENSHOTS === "1"
    ? join(REPO_ROOT, "docs/screenshots")
    : join(REPO_ROOT, "test-artifacts/console");

let system: RunningSystem;
let browser: Browser;
let page: Page;
let admin: ApiCall;
let worker: Awaited<ReturnType<typeof handWorker>>;
const pageErrors: string[] = [];
const requests: string[] = [];

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  [system, browser] = await Promise.all([
    startSystem({ env: { JOBS_RETRY_BACKOFF_MS: "50", PIPELINES_POLL_MS: "100" } }),
    launchBrowser(),
  ]);
  admin = apiClient(system.url);
  worker = await handWorker(system.url, admin);
  page = await browser.context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("request", (request) => requests.push(`${request.method()} ${new URL(request.url()).pathname}`));
  await signIn(page, system.url);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await system?.stop();
});

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const row = (name: string) => page.locator("tbody tr").filter({ hasText: name });
const findSchedule = async (name: string) =>
  (
    (await admin("GET", "/schedules/?page_size=100")).body.items as { id: number; name: string; paused: boolean }[]
  ).find((s) => s.name === name);

describe("schedules", () => {
  test("create (the API's error next to the field first), pause, resume, and delete after confirming", async () => {
    const bad = { name: "Nightly invoices", cron: "every night", job: { job_name: "invoice run", kind: "ledger" } };
    const expected = await admin("POST", "/schedules/", bad);
    expect(expected.status).toBe(422);
    const message = (expected.body.errors as { field: string; message: string }[]).find((e) => e.field === "cron")!;

    await openFromNav(page, "Schedules");
    await page.getByText("No schedules yet.").waitFor(WAIT);
    await page.getByLabel("Name", { exact: true }).fill(bad.name);
    await page.getByLabel("Cron").fill(bad.cron);
    await page.getByLabel("Time zone").fill("Europe/Berlin");
    await page.getByLabel("Job name").fill(bad.job.job_name);
    await page.getByLabel("Kind (optional)").fill(bad.job.kind);
    await page.getByRole("button", { name: "Create schedule" }).click();
    await page.locator("#schedule-cron-error").waitFor(WAIT);
    expect(await page.locator("#schedule-cron-error").textContent()).toBe(message.message);
    expect(await page.locator("#schedule-cron").getAttribute("aria-invalid")).toBe("true");
    await eventually(
      async () => (await page.evaluate("document.activeElement?.id")) === "schedule-cron",
      "focus on the cron field",
      5_000,
    );
    await shot("schedule-form-error");

    await page.getByLabel("Cron").fill("0 3 * * *");
    await page.getByRole("button", { name: "Create schedule" }).click();
    await page.getByText("Created “Nightly invoices”.").waitFor(WAIT);
    expect(await page.locator("#schedule-cron-error").count()).toBe(0);
    const nightly = row("Nightly invoices");
    await nightly.waitFor(WAIT);
    expect(await nightly.innerText()).toContain("Europe/Berlin");
    expect(await nightly.locator(".badge").innerText()).toBe("active");
    const created = (await findSchedule("Nightly invoices"))!;
    expect(created.paused).toBe(false);

    await page.getByRole("button", { name: "Pause Nightly invoices" }).click();
    await nightly.locator(".badge", { hasText: "paused" }).waitFor(WAIT);
    expect((await findSchedule("Nightly invoices"))!.paused).toBe(true);
    await page.getByRole("button", { name: "Resume Nightly invoices" }).click();
    await nightly.locator(".badge", { hasText: "active" }).waitFor(WAIT);
    expect((await findSchedule("Nightly invoices"))!.paused).toBe(false);

    // Delete asks first; "Keep it" keeps it.
    await page.getByRole("button", { name: "Delete Nightly invoices" }).click();
    await page.getByRole("button", { name: "Keep it" }).click();
    expect(await admin("GET", `/schedules/${created.id}`)).toMatchObject({ status: 200 });
    await page.getByRole("button", { name: "Delete Nightly invoices" }).click();
    expect(await nightly.innerText()).toContain("Delete “Nightly invoices”?");
    await page.getByRole("button", { name: "Yes, delete" }).click();
    await page.getByText("Deleted “Nightly invoices”.").waitFor(WAIT);
    await page.getByText("No schedules yet.").waitFor(WAIT);
    expect((await admin("GET", `/schedules/${created.id}`)).status).toBe(404);
    expect(requests).toContain(`DELETE /schedules/${created.id}`);
  }, 60_000);

  test("a schedule that fires shows when it last fired; its jobs are in the queue", async () => {
    const every = await admin("POST", "/schedules/", {
      name: "Heartbeat report",
      cron: "* * * * * *",
      job: { job_name: "heartbeat", kind: "heartbeat" },
    });
    expect(every.status).toBe(201);
    const hourly = await admin("POST", "/schedules/", {
      name: "Hourly export",
      cron: "0 * * * *",
      time_zone: "America/New_York",
      job: { job_name: "export", kind: "export" },
    });
    expect(hourly.status).toBe(201);
    await eventually(
      async () => (await admin("GET", `/schedules/${every.body.id}`)).body.last_run_at !== null,
      "the every-second schedule to fire",
    );
    await admin("POST", `/schedules/${every.body.id}/pause`);
    // Shown at the next refresh (every 5 s) or at once after moving away and back.
    await openFromNav(page, "Queues");
    await openFromNav(page, "Schedules");
    const heartbeat = row("Heartbeat report");
    await heartbeat.locator(".badge", { hasText: "paused" }).waitFor(WAIT);
    expect(await heartbeat.locator('td[data-col="last"]').innerText()).not.toBe("never");
    // The job the latest firing created, linked.
    const lastJob = (await admin("GET", `/schedules/${every.body.id}`)).body.last_job_id as number;
    expect(await heartbeat.locator('td[data-col="last"] a').getAttribute("href")).toBe(`/ui/jobs/${lastJob}`);
    expect(await heartbeat.locator('td[data-col="next"]').innerText()).toBe("–");
    const hourlyRow = row("Hourly export");
    expect(await hourlyRow.locator('td[data-col="last"]').innerText()).toBe("never");
    expect(await hourlyRow.locator('td[data-col="next"]').innerText()).not.toBe("–");
    expect(await hourlyRow.locator('td[data-col="cron"]').innerText()).toContain("America/New_York");
    await shot("schedules");
  }, 60_000);
});

describe("queues", () => {
  test("shows each kind's depth once jobs are submitted, and retries a kind's FAILED jobs", async () => {
    const batch = await admin("POST", "/jobs/batch", {
      jobs: [1, 2, 3].map((n) => ({ job_name: `invoice ${n}`, kind: "invoice" })),
    });
    expect(batch.status).toBe(201);
    expect((await admin("POST", "/jobs/", { job_name: "invoice rush", kind: "invoice", queue: "rush" })).status).toBe(
      201,
    );
    for (const n of [1, 2]) {
      const job = await admin("POST", "/jobs/", { job_name: `ledger ${n}`, kind: "ledger", max_attempts: 1 });
      expect(job.status).toBe(201);
      expect((await worker.failOne("ledger"))?.status).toBe("FAILED");
    }
    await openFromNav(page, "Queues");
    const invoice = page.locator('table[data-table="queue"] tr[data-kind="invoice"]');
    await invoice.locator('td[data-col="pending"]', { hasText: "4" }).waitFor(WAIT);
    expect(await invoice.locator('td[data-col="oldest"]').innerText()).toMatch(/^\d+(\.\d)? (s|min)$/);
    const ledger = page.locator('table[data-table="queue"] tr[data-kind="ledger"]');
    expect(await ledger.locator('td[data-col="failed"]').innerText()).toBe("2");
    expect(await ledger.locator('td[data-col="pending"]').innerText()).toBe("0");
    // The dead-letter count links to the kind's FAILED jobs.
    expect(await ledger.locator('td[data-col="failed"] a').getAttribute("href")).toBe(
      "/ui/jobs?status=FAILED&kind=ledger",
    );
    // Per kind and queue: the rush queue's one waiting invoice, linked to exactly that job.
    const byQueue = (queue: string) =>
      page.locator(`table[data-table="queues"] tr[data-kind="invoice"][data-queue="${queue}"]`);
    expect(await byQueue("default").locator('td[data-col="pending"]').innerText()).toBe("3");
    expect(await byQueue("rush").locator('td[data-col="pending"]').innerText()).toBe("1");
    await shot("queues");
    await byQueue("rush").locator('td[data-col="pending"] a').click();
    await page.waitForURL("**/ui/jobs?status=PENDING&kind=invoice&queue=rush", WAIT);
    await page.locator("tbody tr", { hasText: "invoice rush" }).waitFor(WAIT);
    expect(await page.locator("tbody tr").count()).toBe(1);
    expect(requests).toContain("GET /jobs/");
    await openFromNav(page, "Queues");
    await ledger.locator('td[data-col="failed"]', { hasText: "2" }).waitFor(WAIT);

    await page.getByRole("button", { name: "Retry failed ledger jobs" }).click();
    await page.getByText("ledger: Retried 2 of 2.").waitFor(WAIT);
    // Back to waiting: nothing serves "ledger", so they stay PENDING.
    await ledger.locator('td[data-col="pending"]', { hasText: "2" }).waitFor(WAIT);
    expect(await ledger.locator('td[data-col="failed"]').innerText()).toBe("0");
    const stats = (await admin("GET", "/jobs/stats")).body.by_kind as {
      kind: string;
      failed: number;
      pending: number;
    }[];
    expect(stats.find((k) => k.kind === "ledger")).toMatchObject({ failed: 0, pending: 2 });
    expect(requests.filter((r) => r === "POST /jobs/retry").length).toBe(1);
  }, 60_000);
});

/** A pipeline of two steps whose first step (kind "stage", served by nobody else) fails every attempt. */
async function failedPipeline(name: string): Promise<number> {
  const created = await admin("POST", "/pipelines/", {
    pipeline_name: name,
    steps: [
      { name: "stage", kind: "stage" },
      { name: "publish", kind: "publish", depends_on: ["stage"] },
    ],
  });
  expect(created.status).toBe(201);
  const id = created.body.id as number;
  await eventually(async () => {
    await worker.failOne("stage", "the staging area is full");
    return (await admin("GET", `/pipelines/${id}`)).body.status === "FAILED";
  }, `pipeline ${id} to fail`);
  return id;
}

describe("a failed pipeline's page", () => {
  test("offers Retry failed steps and Re-run (a running one does not)", async () => {
    const id = await failedPipeline("Quarterly close");
    await openFromNav(page, "Pipelines");
    await page.getByRole("link", { name: `#${id}`, exact: true }).click();
    await page.locator("h1 .badge", { hasText: "failed" }).waitFor(WAIT);
    expect(await page.getByRole("button", { name: "Retry failed steps" }).isEnabled()).toBe(true);
    expect(await page.getByRole("button", { name: "Re-run" }).isEnabled()).toBe(true);
    await shot("pipeline-failed");

    const running = await admin("POST", "/pipelines/", {
      pipeline_name: "Still going",
      steps: [{ name: "wait", kind: "stage" }],
    });
    await openFromNav(page, "Pipelines");
    await page.getByRole("link", { name: `#${running.body.id}`, exact: true }).click();
    await page.getByRole("heading", { level: 1, name: /Still going/ }).waitFor(WAIT);
    await page.locator("h1 .badge").waitFor(WAIT);
    expect(await page.getByRole("button", { name: "Retry failed steps" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Re-run" }).count()).toBe(0);
    await admin("POST", `/pipelines/${running.body.id}/cancel`);
  }, 60_000);

  test("Retry failed steps and Re-run bring it back to life", async () => {
    const id = await failedPipeline("Monthly close");
    await openFromNav(page, "Pipelines");
    await page.getByRole("link", { name: `#${id}`, exact: true }).click();
    await page.locator("h1 .badge", { hasText: "failed" }).waitFor(WAIT);

    const retried = page.waitForResponse((r) => r.url().endsWith(`/pipelines/${id}/retry`));
    await page.getByRole("button", { name: "Retry failed steps" }).click();
    expect((await retried).status()).toBe(200);
    // The failed step runs again (nobody serves "stage" but the hand worker): followed live on this page.
    await page.locator('g.dag-node[data-step="stage"][data-status="PENDING"]').waitFor(WAIT);
    expect(await page.locator("h1 .badge").innerText()).not.toBe("failed");
    await eventually(async () => {
      await worker.failOne("stage");
      return (await admin("GET", `/pipelines/${id}`)).body.status === "FAILED";
    }, `pipeline ${id} to fail again`);
    await page.locator("h1 .badge", { hasText: "failed" }).waitFor(WAIT);

    const rerun = page.waitForResponse((r) => r.url().endsWith(`/pipelines/${id}/rerun`));
    await page.getByRole("button", { name: "Re-run" }).click();
    const answer = await rerun;
    expect(answer.status()).toBeLessThan(300);
    const next = (await answer.json()) as { id: number };
    // A re-run that is a new pipeline opens that pipeline's page; one that restarts this one stays here.
    await page.waitForURL(new RegExp(`/ui/pipelines/${next.id}$`), WAIT);
    await page.locator('g.dag-node[data-step="stage"][data-status="PENDING"]').waitFor(WAIT);
    expect(await page.locator('g.dag-node[data-step="publish"]').getAttribute("data-status")).toBe("WAITING");
  });
});

test("at phone width nothing overflows the schedules and queues pages sideways", async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  for (const label of ["Schedules", "Queues"]) {
    await openFromNav(page, label);
    await page.locator("tbody tr").first().waitFor(WAIT);
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
  }
  await shot("phone-queues");
  await page.setViewportSize({ width: 1280, height: 800 });
}, 30_000);

test("no page errors", () => {
  expect(pageErrors).toEqual([]);
});

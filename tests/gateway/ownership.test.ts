// Who may do what with jobs and pipelines, through app.handle over real
// services: users see, list and cancel only their own (another user's id is a
// 404), admins everything, workers only the worker protocol; the lease token
// from a claim, never worker_id, authorises heartbeat, complete and fail, and it
// never appears anywhere but the claim's response.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { eventually } from "@platform/kit/testing";
import { startGatewayFixture, type GatewayFixture } from "../support/gateway";

setDefaultTimeout(30_000);

let gw: GatewayFixture;
let admin: string;
let alice: { token: string; subject: string };
let bob: { token: string; subject: string };
let worker: string;
beforeAll(async () => {
  gw = await startGatewayFixture();
  admin = await gw.login();
  [alice, bob] = [await gw.account(["user"]), await gw.account(["user"])];
  worker = (await gw.account(["worker"])).token;
});
afterAll(() => gw.close());

type Json = Record<string, any>;
const send = async (method: string, path: string, token: string, body?: unknown) => {
  const response = await gw.req(method, path, { token, body });
  const text = await response.text();
  return { status: response.status, text, body: (text ? JSON.parse(text) : null) as Json };
};
const ids = (page: Json) => page.items.map((item: { id: number }) => item.id) as number[];
const allPages = async (path: string, token: string) => ids((await send("GET", `${path}?page_size=500`, token)).body);

describe.each([
  ["jobs", "/jobs", { job_name: "private work", kind: "own" }],
  ["pipelines", "/pipelines", { pipeline_name: "private flow" }],
])("%s belong to whoever created them", (_, base, createBody) => {
  let mine: Json;
  beforeAll(async () => {
    const created = await send("POST", `${base}/`, alice.token, createBody);
    expect(created.status).toBe(201);
    mine = created.body;
  });

  test("the creator's subject is the owner; the creator reads, lists and may cancel it", async () => {
    expect(mine.owner).toBe(alice.subject);
    expect((await send("GET", `${base}/${mine.id}`, alice.token)).body.id).toBe(mine.id);
    expect(await allPages(`${base}/`, alice.token)).toContain(mine.id);
  });

  test("another user gets 404 on get and cancel (as for an id that does not exist), and lists none of it", async () => {
    const read = await send("GET", `${base}/${mine.id}`, bob.token);
    const missing = await send("GET", `${base}/987654`, bob.token);
    expect([read.status, read.body.grpc_code]).toEqual([404, "NOT_FOUND"]);
    expect(read.body.detail.replace(String(mine.id), "N")).toBe(missing.body.detail.replace("987654", "N"));
    expect((await send("POST", `${base}/${mine.id}/cancel`, bob.token)).status).toBe(404);
    expect(await allPages(`${base}/`, bob.token)).not.toContain(mine.id);
    const bobs = (await send("POST", `${base}/`, bob.token, createBody)).body;
    expect(await allPages(`${base}/`, bob.token)).toEqual([bobs.id]);
    expect(await allPages(`${base}/`, alice.token)).not.toContain(bobs.id);
    expect((await send("GET", `${base}/${mine.id}`, alice.token)).body.status).toBe("PENDING");
  });

  test("an admin sees and lists everyone's, and cancels any", async () => {
    expect((await send("GET", `${base}/${mine.id}`, admin)).body.owner).toBe(alice.subject);
    const everything = await allPages(`${base}/`, admin);
    expect(everything).toContain(mine.id);
    expect(everything.length).toBeGreaterThanOrEqual(2);
    const victim = (await send("POST", `${base}/`, bob.token, createBody)).body;
    const cancelled = await send("POST", `${base}/${victim.id}/cancel`, admin);
    expect([cancelled.status, cancelled.body.status, cancelled.body.owner]).toEqual([200, "CANCELLED", bob.subject]);
  });

  test("a worker gets 403 on create, list, get and cancel", async () => {
    for (const [method, path, body] of [
      ["POST", `${base}/`, createBody],
      ["GET", `${base}/`, undefined],
      ["GET", `${base}/${mine.id}`, undefined],
      ["POST", `${base}/${mine.id}/cancel`, undefined],
    ] as const) {
      const answer = await send(method, path, worker, body);
      expect([method, path, answer.status]).toEqual([method, path, 403]);
      expect(answer.body.type).toContain("forbidden");
    }
  });

  test("the owner cancels their own", async () => {
    expect((await send("POST", `${base}/${mine.id}/cancel`, alice.token)).body.status).toBe("CANCELLED");
  });
});

describe("the watch streams only your own jobs", () => {
  test("another user's watch is a 404, a worker's a 403", async () => {
    const job = (await send("POST", "/jobs/", alice.token, { job_name: "watched", kind: "own-watch" })).body;
    expect((await send("GET", `/jobs/${job.id}/watch`, bob.token)).status).toBe(404);
    expect((await send("GET", `/jobs/${job.id}/watch`, worker)).status).toBe(403);
    await send("POST", `/jobs/${job.id}/cancel`, alice.token);
  });
});

describe("a pipeline's steps are its owner's jobs", () => {
  test("the user sees the jobs of their own pipeline; another user does not", async () => {
    const pipeline = (
      await send("POST", "/pipelines/", alice.token, {
        pipeline_name: "with steps",
        steps: [{ name: "a", kind: "own-step" }],
      })
    ).body;
    const jobId = pipeline.steps[0].job_id as number;
    expect((await send("GET", `/jobs/${jobId}`, alice.token)).body).toMatchObject({ id: jobId, owner: alice.subject });
    expect(await allPages("/jobs/", alice.token)).toContain(jobId);
    expect((await send("GET", `/jobs/${jobId}`, bob.token)).status).toBe(404);
    await send("POST", `/pipelines/${pipeline.id}/cancel`, alice.token);
  });
});

describe("the worker protocol", () => {
  const claim = (token: string, kind: string, lease_seconds?: number) =>
    send("POST", "/jobs/claim", token, {
      worker_id: "w-1",
      kinds: [kind],
      ...(lease_seconds ? { lease_seconds } : {}),
    });

  test("users and admins get 403 on claim, heartbeat, complete and fail; a worker claims", async () => {
    const job = (await send("POST", "/jobs/", alice.token, { job_name: "to run", kind: "proto-roles" })).body;
    for (const token of [alice.token, admin]) {
      expect((await claim(token, "proto-roles")).status).toBe(403);
    }
    const lease = await claim(worker, "proto-roles");
    expect(lease.status).toBe(200);
    expect(lease.body).toMatchObject({ id: job.id, status: "RUNNING", owner: alice.subject });
    const lease_token = lease.body.lease_token as string;
    for (const token of [alice.token, admin]) {
      // Even with the right lease token: the protocol is the worker's.
      expect((await send("POST", `/jobs/${job.id}/heartbeat`, token, { lease_token })).status).toBe(403);
      expect((await send("POST", `/jobs/${job.id}/complete`, token, { lease_token, result: "forged" })).status).toBe(
        403,
      );
      expect((await send("POST", `/jobs/${job.id}/fail`, token, { lease_token, error: "forged" })).status).toBe(403);
    }
    expect(
      (await send("POST", `/jobs/${job.id}/complete`, worker, { lease_token, result: "real" })).body,
    ).toMatchObject({ status: "SUCCEEDED", result: "real" });
  });

  test("the right token heartbeats, completes and fails; a wrong one is 403 and changes nothing", async () => {
    const job = (
      await send("POST", "/jobs/", alice.token, { job_name: "guarded", kind: "proto-token", max_attempts: 2 })
    ).body;
    const other = (await send("POST", "/jobs/", alice.token, { job_name: "decoy", kind: "proto-token-decoy" })).body;
    const lease = (await claim(worker, "proto-token")).body;
    const decoy = (await claim(worker, "proto-token-decoy")).body;
    expect([lease.id, decoy.id]).toEqual([job.id, other.id]);
    // Another worker_id changes nothing: the token is what counts. A token of another job, or a made-up one, is 403.
    for (const wrong of [decoy.lease_token, "A".repeat(43)]) {
      for (const [action, body] of [
        ["heartbeat", {}],
        ["complete", { result: "forged" }],
        ["fail", { error: "forged" }],
      ] as const) {
        const answer = await send("POST", `/jobs/${job.id}/${action}`, worker, { lease_token: wrong, ...body });
        expect([action, answer.status, answer.body.grpc_code]).toEqual([action, 403, "PERMISSION_DENIED"]);
      }
    }
    expect((await send("GET", `/jobs/${job.id}`, alice.token)).body).toMatchObject({
      status: "RUNNING",
      result: null,
      error: null,
    });
    expect(
      (await send("POST", `/jobs/${job.id}/heartbeat`, worker, { lease_token: lease.lease_token, lease_seconds: 60 }))
        .status,
    ).toBe(200);
    expect(
      (await send("POST", `/jobs/${job.id}/fail`, worker, { lease_token: lease.lease_token, error: "try again" })).body,
    ).toMatchObject({ status: "PENDING", error: "try again" });
    const again = await eventually(
      async () => {
        const answer = await claim(worker, "proto-token");
        return answer.status === 200 ? answer.body : undefined;
      },
      15_000,
      "the retry",
    );
    expect(again.lease_token).not.toBe(lease.lease_token);
    expect(
      (await send("POST", `/jobs/${job.id}/complete`, worker, { lease_token: again.lease_token, result: { ok: true } }))
        .body.status,
    ).toBe("SUCCEEDED");
    await send("POST", `/jobs/${decoy.id}/complete`, worker, { lease_token: decoy.lease_token });
  });

  test("a stale token (the lease expired and the job was claimed again) is 409", async () => {
    const job = (await send("POST", "/jobs/", alice.token, { job_name: "slow worker", kind: "proto-stale" })).body;
    const first = (await claim(worker, "proto-stale", 1)).body;
    const second = await eventually(
      async () => {
        const answer = await claim(worker, "proto-stale");
        return answer.status === 200 ? answer.body : undefined;
      },
      15_000,
      "the lease to expire and the job to be claimed again",
    );
    expect(second).toMatchObject({ id: job.id, attempts: 2 });
    for (const [action, body] of [
      ["heartbeat", {}],
      ["complete", { result: "late" }],
      ["fail", { error: "late" }],
    ] as const) {
      const answer = await send("POST", `/jobs/${job.id}/${action}`, worker, {
        lease_token: first.lease_token,
        ...body,
      });
      expect([action, answer.status, answer.body.grpc_code]).toEqual([action, 409, "FAILED_PRECONDITION"]);
    }
    expect(
      (await send("POST", `/jobs/${job.id}/complete`, worker, { lease_token: second.lease_token, result: "on time" }))
        .body.result,
    ).toBe("on time");
  });

  test("the token appears only in the claim's response: never in get, list or the watch stream", async () => {
    const job = (await send("POST", "/jobs/", alice.token, { job_name: "secret", kind: "proto-secret" })).body;
    const watch = await gw.req("GET", `/jobs/${job.id}/watch`, { token: alice.token });
    expect(watch.status).toBe(200);
    const lease = (await claim(worker, "proto-secret")).body;
    const token = lease.lease_token as string;
    await send("POST", `/jobs/${job.id}/heartbeat`, worker, { lease_token: token });
    const heartbeat = await send("POST", `/jobs/${job.id}/heartbeat`, worker, { lease_token: token });
    const seen = [
      heartbeat.text,
      (await send("GET", `/jobs/${job.id}`, alice.token)).text,
      (await send("GET", `/jobs/${job.id}`, admin)).text,
      (await send("GET", "/jobs/?page_size=500", alice.token)).text,
      (await send("GET", "/jobs/?page_size=500&status=RUNNING", admin)).text,
    ];
    await send("POST", `/jobs/${job.id}/complete`, worker, { lease_token: token, result: "done" });
    // The stream ends at the final state: read all of it.
    seen.push(await watch.text());
    expect(seen.at(-1)).toContain('"status":"RUNNING"');
    expect(seen.at(-1)).toContain('"status":"SUCCEEDED"');
    for (const text of seen) expect(text).not.toContain(token);
    expect(seen.join("")).not.toContain("lease_token");
  });
});

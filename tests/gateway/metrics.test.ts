// GET /metrics: Prometheus text, no token needed, HTTP series by route template
// (never the raw path), upstream call latency and process metrics.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startGatewayFixture, type GatewayFixture } from "../support/gateway";

let gw: GatewayFixture;
beforeAll(async () => {
  gw = await startGatewayFixture();
});
afterAll(() => gw.close());

async function scrape(): Promise<string> {
  const response = await gw.req("GET", "/metrics");
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toStartWith("text/plain; version=0.0.4");
  return response.text();
}

const sample = (text: string, prefix: string) => text.split("\n").find((line) => line.startsWith(prefix));
/** afterResponse hooks run just after the response is sent: scrape until the series reach `expected`. */
async function scrapeUntil(expected: Record<string, number>, base: string): Promise<string> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const text = await scrape();
    const reached = Object.entries(expected).every(
      ([series, delta]) => value(text, series) - value(base, series) >= delta,
    );
    if (reached || Date.now() > deadline) return text;
    await Bun.sleep(20);
  }
}

// One registry per process, shared by every test file bun runs in it: compare before and after.
const value = (text: string, series: string) => Number(sample(text, `${series} `)?.slice(series.length + 1) ?? 0);

describe("GET /metrics", () => {
  test("counts and times requests per route template and status, never per raw path", async () => {
    const token = await gw.login();
    const notFound = 'http_requests_total{method="GET",route="/users/:id",status="404"}';
    const unauthorized = 'http_requests_total{method="GET",route="/users/:id",status="401"}';
    const timed = 'http_request_duration_seconds_count{method="GET",route="/users/:id",status="404"}';
    const before = await scrape();
    await gw.req("GET", "/users/4242", { token });
    await gw.req("GET", "/users/4243", { token });
    await gw.req("GET", "/users/1");
    const text = await scrapeUntil({ [notFound]: 2, [unauthorized]: 1, [timed]: 2 }, before);
    expect(value(text, notFound) - value(before, notFound)).toBe(2);
    expect(value(text, unauthorized) - value(before, unauthorized)).toBe(1);
    expect(value(text, timed) - value(before, timed)).toBe(2);
    expect(text).not.toContain("/users/4242");
    expect(text).toContain("# TYPE http_requests_in_flight gauge");
  });

  test("counts 5xx answers as errors", async () => {
    const token = await gw.login();
    const errors = 'http_request_errors_total{method="GET",route="/pipelines/:id",status="503"}';
    const before = await scrape();
    await gw.servers.pipelines.shutdown();
    expect((await gw.req("GET", "/pipelines/1", { token })).status).toBe(503);
    expect(value(await scrapeUntil({ [errors]: 1 }, before), errors) - value(before, errors)).toBe(1);
  });

  test("times upstream gRPC calls per service, method and status code", async () => {
    const token = await gw.login();
    await gw.req("POST", "/jobs/", { token, body: { job_name: "metrics" } });
    const text = await scrapeUntil({ 'http_requests_total{method="POST",route="/jobs/",status="201"}': 1 }, "");
    expect(
      sample(
        text,
        'grpc_client_handling_seconds_count{grpc_service="jobs.v1.JobsService",grpc_method="CreateJob",grpc_code="OK"}',
      ),
    ).toBeDefined();
    expect(sample(text, 'gateway_upstream_circuit_state{upstream="jobs"}')).toBeDefined();
  });

  test("unknown paths share one label value", async () => {
    await gw.req("GET", "/no/such/path/123");
    const unmatched = 'http_requests_total{method="GET",route="unmatched",status="404"}';
    expect(value(await scrapeUntil({ [unmatched]: 1 }, ""), unmatched)).toBeGreaterThan(0);
  });
});

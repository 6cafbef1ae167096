import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import type { RunningGrpcServer } from "@platform/kit";
import { call, grpcError, quietLogger, TEST_SERVER_CONFIG } from "@platform/kit/testing";
import { jobs, type Job__Output, type ListJobsResponse__Output } from "@platform/proto";
import { startJobsServer } from "./server";

let server: RunningGrpcServer;
let client: grpc.Client;

beforeAll(async () => {
  server = await startJobsServer(TEST_SERVER_CONFIG, quietLogger());
  client = new jobs.JobsService(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
});
afterAll(async () => {
  client.close();
  await server.shutdown();
});

const createJob = (job_name: string) => call<{ job_name: string }, Job__Output>(client, "CreateJob", { job_name });

describe("jobs service", () => {
  test("CreateJob assigns ids in order and starts PENDING with timestamps", async () => {
    const first = await createJob("Data Processing Job");
    const second = await createJob("Another");
    expect(first).toMatchObject({ id: "1", job_name: "Data Processing Job", status: "JOB_STATUS_PENDING" });
    expect(second.id).toBe("2");
    expect(first.created_at).toEqual(first.updated_at);
  });

  test("GetJob returns the stored job; an unknown id is NOT_FOUND", async () => {
    expect((await call<{ id: string }, Job__Output>(client, "GetJob", { id: "1" })).job_name).toBe("Data Processing Job");
    expect((await grpcError(call(client, "GetJob", { id: "404" }))).code).toBe(grpc.status.NOT_FOUND);
  });

  test("an empty job_name is INVALID_ARGUMENT", async () => {
    const error = await grpcError(createJob("   "));
    expect([error.code, error.details]).toEqual([grpc.status.INVALID_ARGUMENT, "job_name: must not be empty"]);
  });

  test("ListJobs pages in id order", async () => {
    const page = await call<object, ListJobsResponse__Output>(client, "ListJobs", { page_size: 1 });
    expect(page.jobs.map((j) => j.id)).toEqual(["1"]);
    const next = await call<object, ListJobsResponse__Output>(client, "ListJobs", { page_size: 1, page_token: page.next_page_token });
    expect(next.jobs.map((j) => j.id)).toEqual(["2"]);
    expect(next.next_page_token).toBe("");
  });
});

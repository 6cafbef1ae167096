import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import type { RunningGrpcServer } from "@platform/kit";
import { call, grpcError, quietLogger, TEST_SERVER_CONFIG } from "@platform/kit/testing";
import { pipelines, type ListPipelinesResponse__Output, type Pipeline__Output } from "@platform/proto";
import { startPipelinesServer } from "./server";

let server: RunningGrpcServer;
let client: grpc.Client;

beforeAll(async () => {
  server = await startPipelinesServer(TEST_SERVER_CONFIG, quietLogger());
  client = new pipelines.PipelinesService(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
});
afterAll(async () => {
  client.close();
  await server.shutdown();
});

const createPipeline = (pipeline_name: string) => call<{ pipeline_name: string }, Pipeline__Output>(client, "CreatePipeline", { pipeline_name });

describe("pipelines service", () => {
  test("CreatePipeline assigns ids in order and starts PENDING with timestamps", async () => {
    const first = await createPipeline("ML Training Pipeline");
    const second = await createPipeline("Another");
    expect(first).toMatchObject({ id: "1", pipeline_name: "ML Training Pipeline", status: "PIPELINE_STATUS_PENDING" });
    expect(second.id).toBe("2");
    expect(first.created_at).toEqual(first.updated_at);
  });

  test("GetPipeline returns the stored job; an unknown id is NOT_FOUND", async () => {
    expect((await call<{ id: string }, Pipeline__Output>(client, "GetPipeline", { id: "1" })).pipeline_name).toBe("ML Training Pipeline");
    expect((await grpcError(call(client, "GetPipeline", { id: "404" }))).code).toBe(grpc.status.NOT_FOUND);
  });

  test("an empty pipeline_name is INVALID_ARGUMENT", async () => {
    const error = await grpcError(createPipeline("   "));
    expect([error.code, error.details]).toEqual([grpc.status.INVALID_ARGUMENT, "pipeline_name: must not be empty"]);
  });

  test("ListPipelines pages in id order", async () => {
    const page = await call<object, ListPipelinesResponse__Output>(client, "ListPipelines", { page_size: 1 });
    expect(page.pipelines.map((p) => p.id)).toEqual(["1"]);
    const next = await call<object, ListPipelinesResponse__Output>(client, "ListPipelines", { page_size: 1, page_token: page.next_page_token });
    expect(next.pipelines.map((p) => p.id)).toEqual(["2"]);
    expect(next.next_page_token).toBe("");
  });
});

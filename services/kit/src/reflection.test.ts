// Server reflection lists what the process serves, and what it sends links the
// way protoc-based tools (grpcurl, grpc_cli, Postman) link it: every reference
// fully qualified and defined in the file or in one it imports, every import
// sent along, and reserved field numbers as the contracts reserve them. Checked
// over the wire, on a server serving all three contracts.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { jobs, packageDefinition, pipelines, SERVICE_NAMES, users } from "@platform/proto";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import protobuf from "protobufjs";
import { FileDescriptorProto, type IDescriptorProto, type IFileDescriptorProto } from "protobufjs/ext/descriptor";
import { reflectionFor, statusDetailsFiles } from "./reflection";
import { encodeBadRequestStatus } from "./statusDetails";
import { type RunningGrpcServer, type ServiceBinding, startGrpcServer } from "./server";
import { quietLogger } from "./testing";

let server: RunningGrpcServer;
let client: ReflectionClient;

// Reflection needs the services' names and contracts, not their handlers.
const USERS = { name: SERVICE_NAMES.users, definition: users.UsersService.service, implementation: {} };
const JOBS = { name: SERVICE_NAMES.jobs, definition: jobs.JobsService.service, implementation: {} };
const PIPELINES = { name: SERVICE_NAMES.pipelines, definition: pipelines.PipelinesService.service, implementation: {} };

const serving = (services: ServiceBinding[]) =>
  startGrpcServer({ host: "127.0.0.1", port: 0, shutdownTimeoutMs: 1_000, logger: quietLogger(), services });

beforeAll(async () => {
  server = await serving([USERS, JOBS, PIPELINES]);
  client = reflectionClient(server.port);
});

type ReflectionClient = grpc.Client & { ServerReflectionInfo(): grpc.ClientDuplexStream<unknown, unknown> };

/** A grpc.reflection.v1 client, from the reflection package's own contract. */
function reflectionClient(port: number): ReflectionClient {
  const protoDir = join(
    dirname(createRequire(import.meta.url).resolve("@grpc/reflection/package.json")),
    "build/proto",
  );
  const definition = protoLoader.loadSync("grpc/reflection/v1/reflection.proto", {
    includeDirs: [protoDir],
    keepCase: true,
  });
  const { ServerReflection } = (grpc.loadPackageDefinition(definition) as any).grpc.reflection.v1;
  return new ServerReflection(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}

/** One reflection request's answer. */
async function ask<T>(on: ReflectionClient, request: Record<string, string>): Promise<T> {
  const stream = on.ServerReflectionInfo();
  const answer = new Promise<T>((resolve, reject) => stream.on("data", resolve).on("error", reject));
  stream.write(request);
  try {
    return await answer;
  } finally {
    stream.end();
  }
}

afterAll(async () => {
  client.close();
  await server.shutdown();
});

/** The files reflection sends for one request (file_containing_symbol or file_by_filename). */
async function filesFor(request: Record<string, string>): Promise<IFileDescriptorProto[]> {
  const { file_descriptor_response } = await ask<{ file_descriptor_response?: { file_descriptor_proto: Buffer[] } }>(
    client,
    request,
  );
  return (file_descriptor_response?.file_descriptor_proto ?? []).map(
    (bytes) => FileDescriptorProto.decode(bytes) as unknown as IFileDescriptorProto,
  );
}

/** What a descriptor linker would refuse, one line per problem. */
function linkProblems(files: IFileDescriptorProto[]): string[] {
  const problems: string[] = [];
  const sent = new Map(files.map((file) => [file.name, file]));
  const defines = (file: IFileDescriptorProto) => {
    const names = new Set<string>();
    const walk = (messages: IDescriptorProto[] | undefined, scope: string) => {
      for (const message of messages ?? []) {
        names.add(`.${scope}${message.name}`);
        for (const nested of message.enumType ?? []) names.add(`.${scope}${message.name}.${nested.name}`);
        walk(message.nestedType, `${scope}${message.name}.`);
      }
    };
    const scope = file.package ? `${file.package}.` : "";
    walk(file.messageType, scope);
    for (const type of [...(file.enumType ?? []), ...(file.service ?? [])]) names.add(`.${scope}${type.name}`);
    return names;
  };
  for (const file of files) {
    const visible = defines(file);
    for (const name of file.dependency ?? []) {
      const imported = sent.get(name);
      if (!imported) problems.push(`${file.name} imports ${name}, which was not sent`);
      else for (const type of defines(imported)) visible.add(type);
    }
    const check = (where: string, reference: string | undefined) => {
      if (!reference) return;
      if (!reference.startsWith(".")) problems.push(`${where}: ${reference} is not fully qualified`);
      else if (!visible.has(reference)) problems.push(`${where}: ${reference} is neither in ${file.name} nor imported`);
    };
    const walk = (messages: IDescriptorProto[] | undefined, scope: string) => {
      for (const message of messages ?? []) {
        const name = `${scope}.${message.name}`;
        for (const field of message.field ?? []) check(`${name}.${field.name}`, field.typeName);
        for (const range of message.reservedRange ?? [])
          if ((range.end ?? 0) <= (range.start ?? 0)) problems.push(`${name}: empty reserved range`);
        walk(message.nestedType, name);
      }
    };
    walk(file.messageType, file.package ?? "");
    for (const service of file.service ?? [])
      for (const method of service.method ?? []) {
        check(`${service.name}.${method.name} input`, method.inputType);
        check(`${service.name}.${method.name} output`, method.outputType);
      }
  }
  return problems;
}

test("a process lists only the services it serves", async () => {
  const usersOnly = await serving([USERS]);
  const own = reflectionClient(usersOnly.port);
  const answer = await ask<{ list_services_response: { service: { name: string }[] } }>(own, { list_services: "*" });
  expect(answer.list_services_response.service.map((s) => s.name)).toEqual([SERVICE_NAMES.users]);
  own.close();
  await usersOnly.shutdown();
});

describe("reflection's descriptors", () => {
  test.each(Object.values(SERVICE_NAMES))("%s: its files link, imports included", async (service) => {
    const files = await filesFor({ file_containing_symbol: service });
    expect(files.length).toBeGreaterThan(1);
    expect(linkProblems(files)).toEqual([]);
    // A tool then asks for each import by name: it is there too.
    for (const name of files[0]!.dependency ?? [])
      expect((await filesFor({ file_by_filename: name }))[0]?.name).toBe(name);
  });

  test("User.created_at is a google.protobuf.Timestamp its file imports", async () => {
    const [file, ...imports] = await filesFor({ file_containing_symbol: "users.v1.User" });
    const user = file!.messageType!.find((message) => message.name === "User")!;
    const createdAt = user.field!.find((field) => field.name === "created_at")!;
    expect(createdAt.typeName).toBe(".google.protobuf.Timestamp");
    const timestampFile = imports.find((f) => f.package === "google.protobuf")!;
    expect(file!.dependency).toContain(timestampFile.name);
  });

  test("a refused call's details are described: google.rpc.Status carrying a google.rpc.BadRequest", async () => {
    const files = await filesFor({ file_containing_symbol: "google.rpc.BadRequest" });
    expect(files.map((file) => file.name)).toEqual(["google/rpc/error_details.proto", "google/protobuf/any.proto"]);
    expect(linkProblems(files)).toEqual([]);
    // No `[packed = false]` on fields that cannot be packed (protobufjs writes it on every proto3 field).
    const fields = files.flatMap((file) =>
      (file.messageType ?? []).flatMap((message) => [message, ...(message.nestedType ?? [])]),
    );
    expect(fields.flatMap((message) => message.field ?? []).filter((field) => field.options)).toEqual([]);
    // Decoded with what reflection sent, as grpcurl decodes them, the details kit sends read back.
    const root = (protobuf.Root as unknown as { fromDescriptor(set: object): protobuf.Root }).fromDescriptor({
      file: files,
    });
    const status = root.lookupType("google.rpc.Status");
    const badRequest = root.lookupType("google.rpc.BadRequest");
    const sent = status.toObject(
      status.decode(
        encodeBadRequestStatus(grpc.status.INVALID_ARGUMENT, "invalid", [
          { field: "email", message: "must be an email address" },
        ]),
      ),
    ) as { code: number; message: string; details: { type_url: string; value: Uint8Array }[] };
    expect(sent.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(sent.details[0]!.type_url).toBe("type.googleapis.com/google.rpc.BadRequest");
    expect(badRequest.toObject(badRequest.decode(sent.details[0]!.value))).toEqual({
      field_violations: [{ field: "email", description: "must be an email address" }],
    });
  });

  test("reserved field numbers are the contract's (reserved 2: numbers 2 up to 3)", async () => {
    const [file] = await filesFor({ file_containing_symbol: "jobs.v1.HeartbeatRequest" });
    const heartbeat = file!.messageType!.find((message) => message.name === "HeartbeatRequest")!;
    expect(heartbeat.reservedRange?.map(({ start, end }) => ({ start, end }))).toEqual([{ start: 2, end: 3 }]);
    expect(heartbeat.reservedName).toEqual(["worker_id"]);
  });
});

test("building the reflection service decodes each file a few times, not once per message of the contracts", () => {
  const files = Object.values(packageDefinition).find((entry) => "fileDescriptorProtos" in entry) as {
    fileDescriptorProtos: Buffer[];
  };
  const decode = FileDescriptorProto.decode;
  let decoded = 0;
  FileDescriptorProto.decode = ((...args: Parameters<typeof decode>) => {
    decoded++;
    return decode.apply(FileDescriptorProto, args);
  }) as typeof decode;
  try {
    reflectionFor(packageDefinition, [SERVICE_NAMES.users]);
  } finally {
    FileDescriptorProto.decode = decode;
  }
  // Linking once, then reflection's v1 and v1alpha once each; @grpc/reflection would
  // decode every file for each of the definition's messages and enums.
  expect(decoded).toBe(3 * (files.fileDescriptorProtos.length + statusDetailsFiles().length));
});

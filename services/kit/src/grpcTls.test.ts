// Mutual TLS with real certificates (made by openssl for this run) against a
// real gRPC server: our clients get through, and a client without a
// certificate, with one from another CA, or in plaintext is refused. The
// settings are checked at start: all three files or none, readable, usable.
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import * as grpc from "@grpc/grpc-js";
import { SERVICE_NAMES, users } from "@platform/proto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ServiceClient } from "./client";
import { ConfigError } from "./config";
import { grpcClientTransport, loadGrpcTls, targetHost, type GrpcTls } from "./grpcTls";
import { checkHealth, createHealthClient } from "./health";
import { startGrpcServer, type RunningGrpcServer } from "./server";
import { createTestCertificates, type TestCertificates } from "./testCertificates";
import { call, grpcError, quietLogger } from "./testing";
import { unary } from "./unary";

// openssl and TLS handshakes on a loaded 2-core machine need more than bun's 5 s default.
setDefaultTimeout(30_000);

let certs: TestCertificates;
let server: RunningGrpcServer;
let serverTls: GrpcTls;
let target: string;

beforeAll(async () => {
  certs = createTestCertificates();
  serverTls = certs.tls(certs.service);
  const logger = quietLogger();
  const getUser = unary("GetUser", logger, async (request: { id: string }) => ({
    id: request.id,
    name: "N",
    email: "n@example.com",
  }));
  server = await startGrpcServer({
    host: "127.0.0.1",
    port: 0,
    shutdownTimeoutMs: 500,
    logger,
    tls: serverTls,
    services: [
      {
        name: SERVICE_NAMES.users,
        definition: users.UsersService.service,
        implementation: { GetUser: getUser, ListUsers: getUser, CreateUser: getUser },
      },
    ],
  });
  // Bun's TLS will not send an IP address as the server name: name one the certificate carries.
  target = `127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server?.shutdown();
  certs?.remove();
});

/** A raw UsersService client with the given credentials, closed after one call. */
async function getUserWith(
  credentials: grpc.ChannelCredentials,
  options: grpc.ChannelOptions = { "grpc.ssl_target_name_override": "localhost" },
) {
  const client = new users.UsersService(target, credentials, options);
  try {
    return await call<{ id: string }, { id: string }>(client, "GetUser", { id: "7" });
  } finally {
    client.close();
  }
}

const read = (path: string) => Bun.file(path).bytes().then(Buffer.from);

describe("a gRPC server with mutual TLS", () => {
  test("answers ServiceClient calls made with a certificate the CA signed", async () => {
    const client = new ServiceClient(SERVICE_NAMES.users, target, users.UsersService.service, {
      timeoutMs: 5_000,
      tls: certs.tls(certs.client, "localhost"),
    });
    try {
      expect((await client.call("GetUser", { id: "7" }, { requestId: "tls-1" })).id).toBe("7");
    } finally {
      client.close();
    }
  });

  test("answers calls started in separate callbacks of one turn, sent together over TLS", async () => {
    const client = new ServiceClient(SERVICE_NAMES.users, target, users.UsersService.service, {
      timeoutMs: 5_000,
      tls: certs.tls(certs.client, "localhost"),
    });
    try {
      await client.call("GetUser", { id: "0" }, { requestId: "tls-warm" });
      const ids = Array.from({ length: 20 }, (_, i) => String(i + 1));
      const replies = await new Promise<{ id: string }[]>((resolve, reject) => {
        const calls: Promise<{ id: string }>[] = [];
        for (const id of ids)
          setImmediate(() => {
            calls.push(client.call("GetUser", { id }, { requestId: `tls-${id}` }));
            if (calls.length === ids.length) Promise.all(calls).then(resolve, reject);
          });
      });
      expect(replies.map((reply) => reply.id)).toEqual(ids);
    } finally {
      client.close();
    }
  });

  test("answers health checks over TLS, also on a channel shared with a ServiceClient", async () => {
    const tls = certs.tls(certs.client, "localhost");
    const own = createHealthClient(target, {}, tls);
    const rpc = new ServiceClient(SERVICE_NAMES.users, target, users.UsersService.service, { timeoutMs: 5_000, tls });
    const shared = createHealthClient(target, { channelOverride: rpc.client.getChannel() }, tls);
    try {
      expect(await checkHealth(own, SERVICE_NAMES.users, 2_000)).toBe("SERVING");
      expect(await checkHealth(shared, SERVICE_NAMES.users, 2_000)).toBe("SERVING");
    } finally {
      own.close();
      shared.close();
      rpc.close();
    }
  });

  test("refuses a TLS client that presents no certificate", async () => {
    const error = await grpcError(getUserWith(grpc.credentials.createSsl(await read(certs.caFile))));
    expect(error.code).toBe(grpc.status.UNAVAILABLE);
  });

  test("refuses a client whose certificate another CA signed", async () => {
    const { ca, cert, key } = certs.tls(certs.foreign);
    const error = await grpcError(getUserWith(grpc.credentials.createSsl(ca, key, cert)));
    expect(error.code).toBe(grpc.status.UNAVAILABLE);
  });

  test("refuses a plaintext client", async () => {
    const error = await grpcError(getUserWith(grpc.credentials.createInsecure(), {}));
    expect(error.code).toBe(grpc.status.UNAVAILABLE);
    const health = createHealthClient(target, {}, null);
    expect(await checkHealth(health, SERVICE_NAMES.users, 2_000)).toStartWith("UNAVAILABLE");
    health.close();
  });

  test("is refused by a client expecting another server name", async () => {
    const { ca, cert, key } = certs.tls(certs.client);
    const error = await grpcError(
      getUserWith(grpc.credentials.createSsl(ca, key, cert), { "grpc.ssl_target_name_override": "jobs" }),
    );
    expect(error.code).toBe(grpc.status.UNAVAILABLE);
    expect(error.details).toContain("altnames");
  });

  test("is refused by a client that trusts another CA", async () => {
    const { cert, key } = certs.tls(certs.client);
    const error = await grpcError(
      getUserWith(grpc.credentials.createSsl(await read(join(certs.dir, "other-ca.pem")), key, cert)),
    );
    expect(error.code).toBe(grpc.status.UNAVAILABLE);
  });

  test("keeps serving good clients after refusing the others", async () => {
    const { ca, cert, key } = certs.tls(certs.client);
    expect((await getUserWith(grpc.credentials.createSsl(ca, key, cert))).id).toBe("7");
  });

  test("a plaintext server refuses TLS clients, so a half-configured system fails loudly", async () => {
    const plain = await startGrpcServer({
      host: "127.0.0.1",
      port: 0,
      shutdownTimeoutMs: 500,
      logger: quietLogger(),
      tls: null,
      services: [{ name: SERVICE_NAMES.users, definition: users.UsersService.service, implementation: {} }],
    });
    const health = createHealthClient(`127.0.0.1:${plain.port}`, {}, certs.tls(certs.client, "localhost"));
    try {
      expect(await checkHealth(health, SERVICE_NAMES.users, 2_000)).toStartWith("UNAVAILABLE");
    } finally {
      health.close();
      await plain.shutdown();
    }
  });
});

describe("the plaintext health port (for probes that cannot do TLS)", () => {
  test("answers grpc.health.v1 without TLS, serves nothing else, and follows the server's status", async () => {
    const logger = quietLogger();
    const getUser = unary("GetUser", logger, async (request: { id: string }) => ({
      id: request.id,
      name: "N",
      email: "n@example.com",
    }));
    const tlsServer = await startGrpcServer({
      host: "127.0.0.1",
      port: 0,
      healthPort: 0,
      shutdownTimeoutMs: 500,
      shutdownDelayMs: 300,
      logger,
      tls: serverTls,
      services: [
        {
          name: SERVICE_NAMES.users,
          definition: users.UsersService.service,
          implementation: { GetUser: getUser, ListUsers: getUser, CreateUser: getUser },
        },
      ],
    });
    const healthTarget = `127.0.0.1:${tlsServer.healthPort}`;
    const probe = createHealthClient(healthTarget, {}, null);
    const other = new users.UsersService(healthTarget, grpc.credentials.createInsecure());
    try {
      expect(tlsServer.healthPort).toBeGreaterThan(0);
      expect(await checkHealth(probe, "", 2_000)).toBe("SERVING");
      expect(await checkHealth(probe, SERVICE_NAMES.users, 2_000)).toBe("SERVING");
      expect((await grpcError(call(other, "GetUser", { id: "1" }))).code).toBe(grpc.status.UNIMPLEMENTED);
      const stopping = tlsServer.shutdown();
      expect(await checkHealth(probe, "", 2_000)).toBe("NOT_SERVING");
      await stopping;
    } finally {
      probe.close();
      other.close();
    }
  });

  test("is off unless asked for", () => {
    expect(server.healthPort).toBeUndefined();
  });
});

describe("the TLS settings", () => {
  const all = () => certs.env(certs.service);

  test("none set: plaintext, as before", () => {
    expect(loadGrpcTls({})).toBeUndefined();
    expect(grpcClientTransport("127.0.0.1:1", undefined).options).toEqual({});
  });

  test("all three set: the files, loaded", () => {
    const tls = loadGrpcTls({ ...all(), GRPC_TLS_SERVER_NAME: "jobs" })!;
    expect(tls.cert.toString()).toContain("BEGIN CERTIFICATE");
    expect(tls.serverName).toBe("jobs");
    expect(grpcClientTransport("dns:///jobs:50052", tls).options).toEqual({ "grpc.ssl_target_name_override": "jobs" });
  });

  test("only the certificate set: a ConfigError naming the two missing variables", () => {
    const error = (() => {
      try {
        loadGrpcTls({ GRPC_TLS_CERT_FILE: certs.service.cert });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems).toHaveLength(2);
    expect(error!.problems[0]).toStartWith("GRPC_TLS_CA_FILE: must be set too, since GRPC_TLS_CERT_FILE is");
    expect(error!.problems[1]).toStartWith("GRPC_TLS_KEY_FILE: must be set too");
  });

  test("an unreadable file: a ConfigError naming its variable and path", () => {
    expect(() => loadGrpcTls({ ...all(), GRPC_TLS_KEY_FILE: "/nonexistent/tls.key" })).toThrow(
      /GRPC_TLS_KEY_FILE: cannot read \/nonexistent\/tls.key \(ENOENT\)/,
    );
  });

  test("a key that does not match the certificate, or a CA file that is not PEM: a ConfigError at start", () => {
    expect(() => loadGrpcTls({ ...all(), GRPC_TLS_KEY_FILE: certs.client.key })).toThrow(
      /GRPC_TLS_CERT_FILE, GRPC_TLS_KEY_FILE: not a usable PEM certificate and matching private key/,
    );
    const garbage = join(certs.dir, "garbage.pem");
    writeFileSync(garbage, "not a certificate\n");
    expect(() => loadGrpcTls({ ...all(), GRPC_TLS_CA_FILE: garbage })).toThrow(
      /GRPC_TLS_CA_FILE: not a usable PEM CA certificate/,
    );
  });

  test("a server name without the files is a mistake, not silently plaintext", () => {
    expect(() => loadGrpcTls({ GRPC_TLS_SERVER_NAME: "jobs" })).toThrow(
      /GRPC_TLS_SERVER_NAME: only means something with/,
    );
  });

  test("TLS towards an IP-address target needs a server name (Bun refuses an IP as SNI)", () => {
    const tls = loadGrpcTls(all())!;
    expect(() => grpcClientTransport("127.0.0.1:50051", tls)).toThrow(
      /GRPC_TLS_SERVER_NAME: must be set when a gRPC target is an IP address/,
    );
    expect(() => grpcClientTransport("ipv4:10.0.0.1:50051,10.0.0.2:50051", tls)).toThrow(ConfigError);
    expect(() => grpcClientTransport("dns:///users:50051", tls)).not.toThrow();
    expect(() => grpcClientTransport("127.0.0.1:50051", { ...tls, serverName: "localhost" })).not.toThrow();
  });

  test.each([
    ["dns:///jobs:50052", "jobs"],
    ["dns://10.0.0.10:53/jobs.microservices.svc:50052", "jobs.microservices.svc"],
    ["jobs:50052", "jobs"],
    ["127.0.0.1:50051", "127.0.0.1"],
    ["ipv4:10.0.0.1:5,10.0.0.2:5", "10.0.0.1"],
    ["[::1]:50051", "::1"],
    ["ipv6:[::1]:50051", "::1"],
  ])("targetHost(%s) is %s", (given, host) => {
    expect(targetHost(given)).toBe(host);
  });
});

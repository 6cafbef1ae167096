// Baseline (b): what many teams pick instead: Fastify on Node with @fastify/jwt
// and @grpc/grpc-js, written the plain way, for GET /users/:id and POST /users/.
// Run with `node`. Env: PORT (0 = any), JWT_SECRET_KEY, USER_SERVICE_URL.
import jwt from "@fastify/jwt";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import Fastify from "fastify";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PROTO_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "proto");
const definition = protoLoader.loadSync(join(PROTO_DIR, "users.proto"), {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_DIR],
});
const proto = grpc.loadPackageDefinition(definition);
const usersClient = new proto.users.v1.UsersService(
  process.env.USER_SERVICE_URL ?? "localhost:50051",
  grpc.credentials.createInsecure(),
);

const call = (method, request) =>
  new Promise((resolve, reject) => {
    usersClient[method](request, { deadline: Date.now() + 5000 }, (error, user) =>
      error ? reject(error) : resolve(user),
    );
  });

const toJson = (user) => ({
  id: Number(user.id),
  name: user.name,
  email: user.email,
  created_at: user.created_at ? new Date(Number(user.created_at.seconds) * 1000).toISOString() : null,
});

const app = Fastify({ logger: false });
await app.register(jwt, { secret: process.env.JWT_SECRET_KEY ?? "secret" });

app.get("/users/:id", async (request, reply) => {
  try {
    await request.jwtVerify();
  } catch {
    return reply.code(401).send({ detail: "Could not validate credentials" });
  }
  try {
    return toJson(await call("GetUser", { id: request.params.id }));
  } catch (error) {
    return reply.code(error.code === grpc.status.NOT_FOUND ? 404 : 500).send({ detail: error.details });
  }
});

const createUserSchema = {
  body: {
    type: "object",
    required: ["name", "email"],
    properties: { name: { type: "string" }, email: { type: "string" } },
  },
};

app.post("/users/", { schema: createUserSchema }, async (request, reply) => {
  try {
    await request.jwtVerify();
  } catch {
    return reply.code(401).send({ detail: "Could not validate credentials" });
  }
  try {
    const user = await call("CreateUser", { name: request.body.name, email: request.body.email });
    return reply.code(201).send(toJson(user));
  } catch (error) {
    return reply.code(error.code === grpc.status.INVALID_ARGUMENT ? 422 : 500).send({ detail: error.details });
  }
});

await app.listen({ host: "127.0.0.1", port: Number(process.env.PORT ?? 0) });
console.log(JSON.stringify({ msg: "baseline listening", port: app.server.address().port }));
process.on("SIGTERM", () => app.close().then(() => process.exit(0)));

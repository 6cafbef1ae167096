// Baseline (a): an Elysia + @elysiajs/jwt + grpc-js gateway written the way a
// tutorial would, for GET /users/:id and POST /users/. One file, jwt.verify on every request,
// one generated grpc client per upstream, no caching. Kept deliberately plain:
// it is what the real gateway is compared against, not code to improve.
// Env: PORT (0 = any), JWT_SECRET_KEY, USER_SERVICE_URL.
import { jwt } from "@elysiajs/jwt";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { Elysia } from "elysia";
import { join } from "node:path";

const PROTO_DIR = join(import.meta.dir, "..", "..", "proto");
const definition = protoLoader.loadSync(join(PROTO_DIR, "users.proto"), {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_DIR],
});
const proto = grpc.loadPackageDefinition(definition) as any;
const usersClient = new proto.users.v1.UsersService(
  process.env.USER_SERVICE_URL ?? "localhost:50051",
  grpc.credentials.createInsecure(),
);

function call(method: string, request: object): Promise<any> {
  return new Promise((resolve, reject) => {
    usersClient[method](request, { deadline: Date.now() + 5000 }, (error: grpc.ServiceError | null, user: any) =>
      error ? reject(error) : resolve(user),
    );
  });
}

const toJson = (user: any) => ({
  id: Number(user.id),
  name: user.name,
  email: user.email,
  created_at: user.created_at ? new Date(Number(user.created_at.seconds) * 1000).toISOString() : null,
});

const app = new Elysia()
  .use(jwt({ name: "jwt", secret: process.env.JWT_SECRET_KEY ?? "secret" }))
  .get("/users/:id", async ({ jwt, headers, params, set }) => {
    const token = headers.authorization?.replace("Bearer ", "");
    const payload = token ? await jwt.verify(token) : false;
    if (!payload) {
      set.status = 401;
      return { detail: "Could not validate credentials" };
    }
    try {
      return toJson(await call("GetUser", { id: params.id }));
    } catch (error) {
      set.status = (error as grpc.ServiceError).code === grpc.status.NOT_FOUND ? 404 : 500;
      return { detail: (error as grpc.ServiceError).details };
    }
  })
  .post("/users/", async ({ jwt, headers, body, set }) => {
    const token = headers.authorization?.replace("Bearer ", "");
    const payload = token ? await jwt.verify(token) : false;
    if (!payload) {
      set.status = 401;
      return { detail: "Could not validate credentials" };
    }
    const { name, email } = body as { name?: string; email?: string };
    if (typeof name !== "string" || typeof email !== "string") {
      set.status = 422;
      return { detail: "name and email are required" };
    }
    try {
      const user = await call("CreateUser", { name, email });
      set.status = 201;
      return toJson(user);
    } catch (error) {
      set.status = (error as grpc.ServiceError).code === grpc.status.INVALID_ARGUMENT ? 422 : 500;
      return { detail: (error as grpc.ServiceError).details };
    }
  })
  .listen({ hostname: "127.0.0.1", port: Number(process.env.PORT ?? 0) });

console.log(JSON.stringify({ msg: "baseline listening", port: app.server?.port }));

// The baselines' own users service: grpc-js with proto-loader, users kept in a
// Map, GetUser and CreateUser only, written the plain way a tutorial's backend
// would be. Each whole-path baseline gets one of its own, so it pays for its
// backend the way the project pays for its users service and SQLite store.
// Env: PORT (0 = any), SEED_USER_ID (the one user there at start; default 1). Prints {"msg": "users-memory listening", "port": N}.
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
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

interface User {
  id: string;
  name: string;
  email: string;
  created_at: { seconds: string; nanos: number };
  roles: string[];
}

const users = new Map<string, User>();
let nextId = 1;
const now = () => ({ seconds: String(Math.floor(Date.now() / 1000)), nanos: 0 });
// One user to read: the id the bench's GET /users/{id} asks for.
const seedId = String(Number(process.env.SEED_USER_ID ?? 1));
users.set(seedId, {
  id: seedId,
  name: "Bench Reader",
  email: "reader@example.com",
  created_at: now(),
  roles: ["ROLE_USER"],
});
nextId = Number(seedId) + 1;

const server = new grpc.Server();
server.addService(proto.users.v1.UsersService.service, {
  GetUser(call: any, callback: grpc.sendUnaryData<User>) {
    const user = users.get(String(call.request.id));
    if (!user) callback({ code: grpc.status.NOT_FOUND, details: "user not found" });
    else callback(null, user);
  },
  CreateUser(call: any, callback: grpc.sendUnaryData<User>) {
    const { name, email } = call.request;
    if (!name || !email)
      return callback({ code: grpc.status.INVALID_ARGUMENT, details: "name and email are required" });
    const user = { id: String(nextId++), name, email, created_at: now(), roles: ["ROLE_USER"] };
    users.set(user.id, user);
    callback(null, user);
  },
});
server.bindAsync(`127.0.0.1:${process.env.PORT ?? 0}`, grpc.ServerCredentials.createInsecure(), (error, port) => {
  if (error) throw error;
  console.log(JSON.stringify({ msg: "users-memory listening", port }));
});
process.on("SIGTERM", () => server.tryShutdown(() => process.exit(0)));

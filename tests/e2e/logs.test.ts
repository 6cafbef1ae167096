// Secrets never reach the logs: drive the system with passwords (the admin's and a
// user's), tokens and failing logins at the most verbose level, then search every
// component's output for them and for any password hash.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startSystem, type RunningSystem } from "@platform/harness";

const PASSWORD = "pw-Zq8-never-logged-4711";
const SECRET = "jwt-secret-never-logged-0123456789abcdef";
const USER_PASSWORD = "user-pw-Kx9-never-logged-0815";
let system: RunningSystem;

beforeAll(async () => {
  system = await startSystem({
    env: { LOG_LEVEL: "trace" },
    gatewayEnv: { ADMIN_PASSWORD: PASSWORD, JWT_SECRET_KEY: SECRET },
  });
});
afterAll(() => system.stop());

test("no password, token or signing secret appears in any component's log", async () => {
  const post = (path: string, body: unknown, token?: string) =>
    fetch(`${system.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  const login = await post("/login", { username: "admin", password: PASSWORD });
  const token = ((await login.json()) as { access_token: string }).access_token;
  await post("/login", { username: "admin", password: `${PASSWORD}-wrong` });
  await post("/users/", { name: "Logged", email: "logged@example.com" }, token);
  await post("/users/", { name: "", email: "bad" }, token);
  // A user with a password: created, logged in, refused, and a refused weak password.
  expect(
    (await post("/users/", { name: "Pw User", email: "pw@example.com", password: USER_PASSWORD }, token)).status,
  ).toBe(201);
  const userLogin = await post("/login", { username: "pw@example.com", password: USER_PASSWORD });
  expect(userLogin.status).toBe(200);
  const userToken = ((await userLogin.json()) as { access_token: string }).access_token;
  await post("/login", { username: "pw@example.com", password: `${USER_PASSWORD}-wrong` });
  await post("/login", { username: "nobody@example.com", password: USER_PASSWORD });
  await post("/users/", { name: "Weak", email: "weak@example.com", password: "weak-pw-7" }, token);
  await fetch(`${system.url}/users/?page_size=100`, { headers: { authorization: `Bearer ${token}` } });
  await fetch(`${system.url}/users/999`, { headers: { authorization: `Bearer ${token}` } });
  await fetch(`${system.url}/users/1`, { headers: { authorization: `Bearer ${token}x` } });
  await Bun.sleep(200); // let the last log lines arrive

  const logs = [...Object.values(system.services), ...system.gateways].flatMap((c) => c.recentLines).join("\n");
  expect(logs).toContain("request served"); // the logs were captured at all
  expect(logs).toContain("VerifyCredentials"); // the users service's side of the user logins was captured too
  for (const secret of [
    PASSWORD,
    SECRET,
    token,
    token.split(".")[2]!,
    USER_PASSWORD,
    "weak-pw-7",
    userToken,
    userToken.split(".")[2]!,
  ])
    expect(logs).not.toContain(secret);
  // Nor any password hash (argon2id PHC strings start with $argon2).
  expect(logs).not.toContain("$argon2");
});

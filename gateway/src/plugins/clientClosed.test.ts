// A request whose client went away while it waited ends 499 without an error line;
// a real failure that happens to come after the client left is still one.
import { describe, expect, test } from "bun:test";
import { createLogger } from "@platform/kit";
import { Elysia } from "elysia";
import { HttpProblem } from "../http/problem";
import { problems } from "./problems";

function app() {
  const lines: string[] = [];
  const logger = createLogger("gateway", "info", { write: (line: string) => void lines.push(line) });
  const untilGone = (request: Request) =>
    new Promise<void>((resolve) => request.signal.addEventListener("abort", () => resolve(), { once: true }));
  const routes = new Elysia()
    .use(problems({ logger }))
    // What a hasher's wait does: rejects with the signal's own reason.
    .post("/wait", async ({ request }) => {
      await untilGone(request);
      throw request.signal.reason;
    })
    // What an upstream call cancelled by request.signal becomes (grpcErrorToProblem of CANCELLED).
    .post("/call", async ({ request }) => {
      await untilGone(request);
      throw new HttpProblem(500, "internal-error", "an internal error occurred", { grpc_code: "CANCELLED" });
    })
    .post("/fault", async ({ request }) => {
      await untilGone(request);
      throw new TypeError("a bug, whoever is still listening");
    });
  const send = async (path: string) => {
    const client = new AbortController();
    const response = routes.handle(new Request(`http://localhost${path}`, { method: "POST", signal: client.signal }));
    await Bun.sleep(0);
    client.abort();
    return response;
  };
  return { send, lines };
}

describe("a client that goes away", () => {
  test.each(["/wait", "/call"])("while %s waits: 499 Client Closed Request, nothing logged", async (path) => {
    const { send, lines } = app();
    const response = await send(path);
    expect(response.status).toBe(499);
    expect(await response.json()).toMatchObject({ status: 499, title: "Client Closed Request" });
    expect(lines).toEqual([]);
  });

  test("does not hide a real fault: 500, logged as an unhandled error", async () => {
    const { send, lines } = app();
    expect((await send("/fault")).status).toBe(500);
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(["unhandled error"]);
  });
});

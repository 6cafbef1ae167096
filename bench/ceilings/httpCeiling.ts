// The HTTP ceiling on this machine: a bare Bun.serve answering a small JSON body.
// Prints the same kind of ready line as the real components.
const body = JSON.stringify({
  id: 1,
  name: "Bench User",
  email: "bench@example.com",
  created_at: "2026-01-01T00:00:00.000Z",
});
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch: () => new Response(body, { headers: { "content-type": "application/json" } }),
});
console.log(JSON.stringify({ msg: "http ceiling listening", port: server.port }));
process.on("SIGTERM", () => {
  void server.stop(true);
  process.exit(0);
});

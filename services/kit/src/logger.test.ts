import { describe, expect, test } from "bun:test";
import { createLogger } from "./logger";

function capture() {
  const lines: string[] = [];
  const logger = createLogger("test", "trace", { write: (line: string) => void lines.push(line) });
  return { logger, lines };
}

describe("createLogger", () => {
  test("redacts passwords, tokens and authorization headers wherever callers put them", () => {
    const { logger, lines } = capture();
    logger.info(
      { password: "p1", access_token: "t1", headers: { authorization: "Bearer t2", cookie: "c" } },
      "top level",
    );
    logger.info(
      { body: { password: "p2", access_token: "t3" }, req: { headers: { authorization: "Bearer t4" } } },
      "nested",
    );
    const text = lines.join("");
    for (const secret of ["p1", "p2", "t1", "t2", "t3", "t4", "Bearer"]) expect(text).not.toContain(secret);
    expect(text).toContain("[redacted]");
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: "info", service: "test", msg: "top level" });
  });

  test("honours the level", () => {
    const lines: string[] = [];
    const logger = createLogger("test", "warn", { write: (line: string) => void lines.push(line) });
    logger.info("hidden");
    logger.warn("shown");
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(["shown"]);
  });
});

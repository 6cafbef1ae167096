import { describe, expect, test } from "bun:test";
import { InvalidArgumentError } from "./errors";
import { DEFAULT_PAGE_SIZE, encodePageToken, MAX_PAGE_SIZE, parsePageRequest, toPage } from "./pagination";

describe("pagination", () => {
  test("defaults and caps the page size", () => {
    expect(parsePageRequest(0, "")).toEqual({ afterId: 0, limit: DEFAULT_PAGE_SIZE });
    expect(parsePageRequest(10_000, "").limit).toBe(MAX_PAGE_SIZE);
  });

  test("a token round-trips to the cursor it encodes", () => {
    expect(parsePageRequest(5, encodePageToken(42))).toEqual({ afterId: 42, limit: 5 });
  });

  test.each(["garbage", "djE6LTE", Buffer.from("v1:99999999999999999").toString("base64url")])(
    "rejects the token %s",
    (token) => {
      expect(() => parsePageRequest(5, token)).toThrow(InvalidArgumentError);
    },
  );

  test("a negative page size is rejected", () => {
    expect(() => parsePageRequest(-1, "")).toThrow(InvalidArgumentError);
  });

  test("toPage hands out a next token only when more rows follow", () => {
    const rows = [{ id: 1 }, { id: 2 }, { id: 3 }];
    expect(toPage(rows, 2)).toEqual({ items: [{ id: 1 }, { id: 2 }], nextPageToken: encodePageToken(2) });
    expect(toPage(rows, 3)).toEqual({ items: rows, nextPageToken: "" });
  });
});

// The wire conversions: ids and Timestamps go out with their int64 fields as numbers (the cheap
// path in protobufjs) and come back as decimal strings, the same value either way.
import { describe, expect, test } from "bun:test";
import { users } from "@platform/proto";
import { InvalidArgumentError } from "./errors";
import { fromTimestamp, parseId, toTimestamp } from "./wire";

const { GetUser } = users.UsersService.service;

describe("parseId", () => {
  test("takes the decimal string the wire brings, or a number, in 1..2^53-1", () => {
    expect(parseId("id", "42")).toBe(42);
    expect(parseId("id", 42)).toBe(42);
    expect(parseId("id", String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    for (const bad of ["0", "-1", "1.5", "9007199254740992", "", undefined])
      expect(() => parseId("id", bad)).toThrow(InvalidArgumentError);
  });
});

describe("toTimestamp", () => {
  test("sends its seconds as a number, and fromTimestamp gives the same instant back", () => {
    for (const date of [new Date(0), new Date(1_764_800_000_123), new Date(-1_500)]) {
      const ts = toTimestamp(date);
      expect(typeof ts.seconds).toBe("number");
      expect(ts.nanos).toBeGreaterThanOrEqual(0);
      expect(ts.nanos).toBeLessThan(1_000_000_000);
      expect(fromTimestamp({ seconds: String(ts.seconds), nanos: ts.nanos })).toEqual(date);
    }
  });
});

describe("int64 fields written as numbers", () => {
  test("encode to the bytes a decimal string gives, and arrive as that string", () => {
    const user = (id: number | string, seconds: number | string) => ({
      id,
      name: "Ada",
      email: "ada@example.com",
      created_at: { seconds, nanos: 5_000_000 },
      roles: [],
    });
    for (const id of [1, 12_345, Number.MAX_SAFE_INTEGER]) {
      const asNumber = GetUser.responseSerialize(user(id, 1_764_800_000));
      expect(asNumber).toEqual(GetUser.responseSerialize(user(String(id), "1764800000")));
      const back = GetUser.responseDeserialize(asNumber);
      expect(back.id).toBe(String(id));
      expect(back.created_at?.seconds).toBe("1764800000");
    }
  });
});

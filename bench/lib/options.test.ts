import { expect, test } from "bun:test";
import { loadOptions } from "./options";

test("an empty BENCH_OUT means the default results directory", () => {
  expect(loadOptions({ BENCH_OUT: "" }, "/default").outDir).toBe("/default");
  expect(loadOptions({}, "/default").outDir).toBe("/default");
  expect(loadOptions({ BENCH_OUT: "/elsewhere" }, "/default").outDir).toBe("/elsewhere");
});

test("a bad setting is refused before anything runs, naming it", () => {
  expect(() => loadOptions({ BENCH_DURATION: "soon" })).toThrow(/BENCH_DURATION/);
});

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

test("the whole path runs at least five rounds unless told otherwise, one in quick mode", () => {
  expect(loadOptions({}).pathRepeats).toBe(5);
  expect(loadOptions({ BENCH_REPEATS: "7" }).pathRepeats).toBe(7);
  expect(loadOptions({ BENCH_PATH_REPEATS: "3" }).pathRepeats).toBe(3);
  expect(loadOptions({ BENCH_QUICK: "1" }).pathRepeats).toBe(1);
  expect(() => loadOptions({ BENCH_PATH_REPEATS: "0" })).toThrow(/BENCH_PATH_REPEATS/);
});

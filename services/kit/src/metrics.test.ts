// Cell-fed metrics: what a hot path counts in plain numbers is exactly what a read shows.
import { expect, test } from "bun:test";
import { cellCounter, cellGauge, metricsRegistry } from "./metrics";

const valuesOf = async (name: string) =>
  (await metricsRegistry.getSingleMetric(name)!.get()).values.map((v) => ({ labels: v.labels, value: v.value }));

test("a cell-fed counter adds what was counted since the last read, per label set, and never twice", async () => {
  const { cells } = cellCounter({ name: "kit_test_cells_total", help: "test", labelNames: ["kind"] as const });
  const a = cells.cell("a", () => ({ kind: "a" }));
  expect(cells.cell("a", () => ({ kind: "other" }))).toBe(a);
  const b = cells.cell("b", () => ({ kind: "b" }));
  a.value += 3;
  b.value++;
  expect(await valuesOf("kit_test_cells_total")).toEqual([
    { labels: { kind: "a" }, value: 3 },
    { labels: { kind: "b" }, value: 1 },
  ]);
  a.value++;
  expect(await valuesOf("kit_test_cells_total")).toEqual([
    { labels: { kind: "a" }, value: 4 },
    { labels: { kind: "b" }, value: 1 },
  ]);
  expect(await metricsRegistry.metrics()).toContain('kit_test_cells_total{kind="a"} 4');
});

test("a cell-fed gauge shows the cells' current values", async () => {
  const { cells } = cellGauge({ name: "kit_test_cells_now", help: "test" });
  const now = cells.cell("", () => ({}));
  now.value += 2;
  expect(await valuesOf("kit_test_cells_now")).toEqual([{ labels: {}, value: 2 }]);
  now.value -= 2;
  expect(await valuesOf("kit_test_cells_now")).toEqual([{ labels: {}, value: 0 }]);
});

// Pure pieces of the console, under bun: the DAG layout and the metrics arithmetic.
import { describe, expect, test } from "bun:test";
import { DagCycleError, dagDepths, DEFAULT_DAG_LAYOUT as L, layoutDag } from "../../../console/src/dag";
import { ratesBetween, sampleFromSummary, type TrafficSummary } from "../../../console/src/metrics";

const step = (name: string, ...depends_on: string[]) => ({ name, depends_on });

describe("layoutDag", () => {
  test("a chain goes left to right, one column per depth", () => {
    const layout = layoutDag([step("extract"), step("transform", "extract"), step("load", "transform")]);
    expect(layout.nodes.map((n) => [n.name, n.depth, n.row])).toEqual([
      ["extract", 0, 0],
      ["transform", 1, 0],
      ["load", 2, 0],
    ]);
    expect(layout.nodes.map((n) => n.x)).toEqual([
      L.padding,
      L.padding + L.nodeWidth + L.gapX,
      L.padding + 2 * (L.nodeWidth + L.gapX),
    ]);
    expect(layout.width).toBe(2 * L.padding + 3 * L.nodeWidth + 2 * L.gapX);
    expect(layout.height).toBe(2 * L.padding + L.nodeHeight);
    expect(layout.edges.map((e) => `${e.from}->${e.to}`)).toEqual(["extract->transform", "transform->load"]);
  });

  test("a step's depth is one more than its deepest dependency, whatever the input order", () => {
    const depths = dagDepths([step("report", "join", "a"), step("join", "a", "b"), step("b", "a"), step("a")]);
    expect(Object.fromEntries(depths)).toEqual({ a: 0, b: 1, join: 2, report: 3 });
  });

  test("a diamond puts the two branches in one column, rows in input order", () => {
    const layout = layoutDag([
      step("start"),
      step("left", "start"),
      step("right", "start"),
      step("end", "left", "right"),
    ]);
    const at = Object.fromEntries(layout.nodes.map((n) => [n.name, n]));
    expect([at.left!.depth, at.left!.row, at.right!.depth, at.right!.row]).toEqual([1, 0, 1, 1]);
    expect(at.end!.depth).toBe(2);
    expect(layout.height).toBe(2 * L.padding + 2 * L.nodeHeight + L.gapY);
    expect(layout.edges).toHaveLength(4);
  });

  test("within a column, steps sit near the rows of their dependencies (fewer crossings)", () => {
    // b2 depends on the second root and comes first in the input: it still goes below a2.
    const layout = layoutDag([step("a"), step("b"), step("b2", "b"), step("a2", "a")]);
    const at = Object.fromEntries(layout.nodes.map((n) => [n.name, n]));
    expect([at.a2!.row, at.b2!.row]).toEqual([0, 1]);
  });

  test("edges run from the right edge of the dependency to the left edge of the step", () => {
    const layout = layoutDag([step("a"), step("b", "a")]);
    const [a, b] = layout.nodes;
    const path = layout.edges[0]!.path;
    expect(path.startsWith(`M${a!.x + L.nodeWidth},${a!.y + L.nodeHeight / 2} C`)).toBe(true);
    expect(path.endsWith(` ${b!.x},${b!.y + L.nodeHeight / 2}`)).toBe(true);
  });

  test("unknown dependencies are ignored (the API reports them), cycles are an error", () => {
    expect(layoutDag([step("a", "ghost")]).nodes[0]!.depth).toBe(0);
    expect(layoutDag([step("a", "ghost")]).edges).toEqual([]);
    expect(() => layoutDag([step("a", "c"), step("b", "a"), step("c", "b")])).toThrow(DagCycleError);
    try {
      layoutDag([step("a", "b"), step("b", "a")]);
    } catch (error) {
      expect((error as DagCycleError).cycle).toEqual(["a", "b", "a"]);
    }
  });

  test("no steps, no size", () => {
    expect(layoutDag([])).toEqual({ nodes: [], edges: [], width: 0, height: 0 });
  });

  test("custom sizes are used", () => {
    const layout = layoutDag([step("a"), step("b", "a")], {
      nodeWidth: 10,
      nodeHeight: 5,
      gapX: 2,
      gapY: 1,
      padding: 0,
    });
    expect(layout.nodes.map((n) => [n.x, n.y])).toEqual([
      [0, 0],
      [12, 0],
    ]);
    expect([layout.width, layout.height]).toEqual([22, 5]);
  });
});

describe("metrics for the system page", () => {
  const summary = (requests: number, sum: number, fast: number, total: number, at: number): TrafficSummary => ({
    replica: "gateway-1",
    at,
    http: {
      requests,
      duration_seconds_sum: sum,
      duration_seconds_count: total,
      duration_buckets: [
        { le: 0.005, count: fast },
        { le: 0.05, count: total },
        { le: null, count: total },
      ],
    },
  });
  test("rate, mean and 95th percentile bucket between two samples", () => {
    const before = sampleFromSummary(summary(11, 0.1, 10, 10, 0));
    expect(before.requests).toBe(11);
    const after = sampleFromSummary(summary(61, 0.6, 50, 60, 5_000));
    const rates = ratesBetween(before, after);
    expect(rates.requestsPerSecond).toBeCloseTo(10);
    expect(rates.meanLatencyMs).toBeCloseTo(10);
    expect(rates.p95LatencyMs).toBe(50);
  });
  test("no traffic: zero rate, no latency", () => {
    const sample = sampleFromSummary(summary(5, 0.1, 4, 4, 0));
    expect(ratesBetween(sample, { ...sample, at: 5_000 })).toEqual({
      requestsPerSecond: 0,
      meanLatencyMs: null,
      p95LatencyMs: null,
    });
  });
});

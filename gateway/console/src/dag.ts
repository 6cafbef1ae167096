// Lays a pipeline's steps out left to right by dependency depth: a step's
// column is one more than its deepest dependency, and within a column steps
// are ordered by the mean row of their dependencies (fewer crossing edges),
// ties kept in the order given. Pure: no DOM, unit-tested under bun.

export interface DagStepInput {
  name: string;
  depends_on: readonly string[];
}

export interface DagNode {
  name: string;
  depth: number;
  row: number;
  x: number;
  y: number;
}

export interface DagEdge {
  from: string;
  to: string;
  /** SVG path data: a cubic curve from the right of `from` to the left of `to`. */
  path: string;
}

export interface DagLayout {
  nodes: DagNode[];
  edges: DagEdge[];
  width: number;
  height: number;
}

export interface DagLayoutOptions {
  nodeWidth: number;
  nodeHeight: number;
  gapX: number;
  gapY: number;
  padding: number;
}

export const DEFAULT_DAG_LAYOUT: DagLayoutOptions = { nodeWidth: 168, nodeHeight: 52, gapX: 56, gapY: 20, padding: 12 };

export class DagCycleError extends Error {
  constructor(readonly cycle: string[]) {
    super(`the dependencies form a cycle: ${cycle.join(" -> ")}`);
    this.name = "DagCycleError";
  }
}

/** Depth of each step; dependencies on unknown steps are ignored. Throws DagCycleError on a cycle. */
export function dagDepths(steps: readonly DagStepInput[]): Map<string, number> {
  const byName = new Map(steps.map((s) => [s.name, s]));
  const depths = new Map<string, number>();
  const visiting: string[] = [];
  const depthOf = (name: string): number => {
    const known = depths.get(name);
    if (known !== undefined) return known;
    const at = visiting.indexOf(name);
    if (at >= 0) throw new DagCycleError([...visiting.slice(at), name]);
    visiting.push(name);
    let depth = 0;
    for (const dependency of byName.get(name)?.depends_on ?? []) {
      if (byName.has(dependency)) depth = Math.max(depth, depthOf(dependency) + 1);
    }
    visiting.pop();
    depths.set(name, depth);
    return depth;
  };
  for (const step of steps) depthOf(step.name);
  return depths;
}

export function layoutDag(steps: readonly DagStepInput[], options: DagLayoutOptions = DEFAULT_DAG_LAYOUT): DagLayout {
  const { nodeWidth, nodeHeight, gapX, gapY, padding } = options;
  const depths = dagDepths(steps);
  const columns: DagStepInput[][] = [];
  for (const step of steps) {
    const depth = depths.get(step.name) ?? 0;
    (columns[depth] ??= []).push(step);
  }
  const rowOf = new Map<string, number>();
  columns.forEach((column, depth) => {
    const order = column.map((step, index) => {
      const rows = step.depends_on.map((d) => rowOf.get(d)).filter((r): r is number => r !== undefined);
      const mean = depth === 0 || rows.length === 0 ? index : rows.reduce((a, b) => a + b, 0) / rows.length;
      return { step, index, mean };
    });
    order.sort((a, b) => a.mean - b.mean || a.index - b.index);
    order.forEach(({ step }, row) => rowOf.set(step.name, row));
  });
  const nodes: DagNode[] = steps.map((step) => {
    const depth = depths.get(step.name) ?? 0;
    const row = rowOf.get(step.name) ?? 0;
    return {
      name: step.name,
      depth,
      row,
      x: padding + depth * (nodeWidth + gapX),
      y: padding + row * (nodeHeight + gapY),
    };
  });
  const at = new Map(nodes.map((n) => [n.name, n]));
  const edges: DagEdge[] = [];
  for (const step of steps) {
    const to = at.get(step.name)!;
    for (const dependency of step.depends_on) {
      const from = at.get(dependency);
      if (!from) continue;
      const x1 = from.x + nodeWidth;
      const y1 = from.y + nodeHeight / 2;
      const x2 = to.x;
      const y2 = to.y + nodeHeight / 2;
      const bend = Math.max(24, (x2 - x1) / 2);
      edges.push({
        from: dependency,
        to: step.name,
        path: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`,
      });
    }
  }
  const columnsUsed = columns.length;
  const rowsUsed = Math.max(0, ...columns.map((c) => c?.length ?? 0));
  return {
    nodes,
    edges,
    width: columnsUsed === 0 ? 0 : padding * 2 + columnsUsed * nodeWidth + (columnsUsed - 1) * gapX,
    height: rowsUsed === 0 ? 0 : padding * 2 + rowsUsed * nodeHeight + (rowsUsed - 1) * gapY,
  };
}

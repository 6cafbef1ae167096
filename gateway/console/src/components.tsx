// Small pieces shared by the pages.
import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import {
  FINAL_JOB_STATUSES,
  FINAL_PIPELINE_STATUSES,
  FINAL_STEP_STATUSES,
  type StepStatusName,
} from "@platform/proto/enums";
import { DagCycleError, DEFAULT_DAG_LAYOUT, layoutDag, type DagStepInput } from "./dag";

/** Statuses a job, pipeline or step never leaves (from the contracts). */
export const FINAL_STATUSES: ReadonlySet<string> = new Set<string>([
  ...FINAL_JOB_STATUSES,
  ...FINAL_PIPELINE_STATUSES,
  ...FINAL_STEP_STATUSES,
]);
export const isFinal = (status: string) => FINAL_STATUSES.has(status);
/** A step not submitted yet. */
const WAITING: StepStatusName = "WAITING";

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge status-${status.toLowerCase()}`}>{status.toLowerCase()}</span>;
}

export const formatTime = (value: string | null | undefined) => (value ? new Date(value).toLocaleString() : "–");
export const formatJson = (value: unknown) =>
  value === null || value === undefined ? "–" : JSON.stringify(value, null, 2);

/** Calls `fn` now and every `ms` (never under 3 s) while the page is visible. */
export function useEvery(ms: number, fn: () => void, deps: unknown[]): void {
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(() => {
    latest.current();
    const timer = setInterval(() => document.visibilityState === "visible" && latest.current(), Math.max(3_000, ms));
    return () => clearInterval(timer);
  }, deps);
}

export function Alert({ children, kind = "error" }: { children: ComponentChildren; kind?: "error" | "info" }) {
  return (
    <div class={`alert alert-${kind}`} role={kind === "error" ? "alert" : "status"}>
      {children}
    </div>
  );
}

/** Heading that takes focus when a page opens, so screen readers announce it. */
export function PageTitle({ children }: { children: ComponentChildren }) {
  return (
    <h1 id="page-title" tabIndex={-1}>
      {children}
    </h1>
  );
}

export function Pager(props: { canBack: boolean; canNext: boolean; onBack(): void; onNext(): void; label: string }) {
  return (
    <nav class="pager" aria-label={`${props.label} pages`}>
      <button type="button" disabled={!props.canBack} onClick={props.onBack}>
        Previous page
      </button>
      <button type="button" disabled={!props.canNext} onClick={props.onNext}>
        Next page
      </button>
    </nav>
  );
}

/** A text input with its label and the API's message for it. */
export function TextField(props: {
  id: string;
  label: string;
  value: string;
  error?: string;
  hint?: string;
  type?: string;
  required?: boolean;
  autoComplete?: string;
  inputMode?: "numeric" | "email" | "text";
  list?: string;
  onInput(value: string): void;
}) {
  const described = [props.hint ? `${props.id}-hint` : "", props.error ? `${props.id}-error` : ""]
    .filter(Boolean)
    .join(" ");
  return (
    <div class={`field${props.error ? " field-invalid" : ""}`}>
      <label for={props.id}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      <input
        id={props.id}
        name={props.id}
        type={props.type ?? "text"}
        value={props.value}
        required={props.required}
        autoComplete={props.autoComplete}
        inputMode={props.inputMode}
        list={props.list}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={described || undefined}
        onInput={(e) => props.onInput((e.currentTarget as HTMLInputElement).value)}
      />
      {props.error && (
        <p class="field-error" id={`${props.id}-error`}>
          {props.error}
        </p>
      )}
    </div>
  );
}

const STEP_LABEL_MAX = 18;
const clip = (text: string) => (text.length > STEP_LABEL_MAX ? `${text.slice(0, STEP_LABEL_MAX - 1)}…` : text);

/** The DAG as SVG, one box per step coloured by its status; the steps table next to it carries the same facts as text. */
export function DagView({
  steps,
  label,
}: {
  steps: (DagStepInput & { status?: string; kind?: string })[];
  label: string;
}) {
  let layout: ReturnType<typeof layoutDag>;
  try {
    layout = layoutDag(steps);
  } catch (error) {
    if (error instanceof DagCycleError) return <p class="hint">{error.message}</p>;
    throw error;
  }
  if (layout.nodes.length === 0) return <p class="hint">No steps.</p>;
  const { nodeWidth, nodeHeight } = DEFAULT_DAG_LAYOUT;
  const statusOf = new Map(steps.map((s) => [s.name, s.status ?? WAITING]));
  const kindOf = new Map(steps.map((s) => [s.name, s.kind ?? ""]));
  const summary = steps.map((s) => `${s.name}: ${(s.status ?? "waiting").toLowerCase()}`).join(", ");
  return (
    <div class="dag-scroll">
      <svg
        class="dag"
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        width={layout.width}
        height={layout.height}
        role="img"
        aria-label={`${label}. ${summary}`}
      >
        <defs>
          <marker
            id="arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M0,0 L10,5 L0,10 z" class="dag-arrow" />
          </marker>
        </defs>
        {layout.edges.map((edge) => (
          <path key={`${edge.from}->${edge.to}`} d={edge.path} class="dag-edge" marker-end="url(#arrow)" />
        ))}
        {layout.nodes.map((node) => {
          const status = statusOf.get(node.name) ?? WAITING;
          return (
            <g
              key={node.name}
              class={`dag-node status-${status.toLowerCase()}`}
              data-step={node.name}
              data-status={status}
              transform={`translate(${node.x},${node.y})`}
            >
              <rect width={nodeWidth} height={nodeHeight} rx="8" />
              <text x="10" y="21" class="dag-name">
                {clip(node.name)}
              </text>
              <text x="10" y="40" class="dag-status">
                {status.toLowerCase()}
                {kindOf.get(node.name) ? ` · ${clip(kindOf.get(node.name)!)}` : ""}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}

/**
 * A table that may scroll sideways: the region takes keyboard focus, so it can be
 * scrolled without a mouse (WCAG 2.1.1; axe's scrollable-region-focusable).
 */
export function ScrollRegion({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be focusable to be scrolled by keyboard
    // biome-ignore lint/a11y/useSemanticElements: a labelled div region keeps the table's layout; <section> adds nothing here
    <div class="table-scroll" tabIndex={0} role="region" aria-label={label}>
      {children}
    </div>
  );
}

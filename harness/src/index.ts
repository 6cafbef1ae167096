// @platform/harness: how the system's processes are started, watched and stopped,
// in one place for `bun run dev` (scripts/dev.ts), the whole-system tests (tests/)
// and the bench (bench/). The README's configuration table is rendered by
// "@platform/harness/configDocs" (it loads every component's config schema).
export * from "./components";
export * from "./devConfig";
export * from "./envoy";
export * from "./ports";
export * from "./prettyLog";
export { ensurePythonTool, VENV_DIR, type PythonTool } from "./pythonTool";
export * from "./system";
export * from "./testSystem";

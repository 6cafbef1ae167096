// The console's static assets, built from gateway/console by Bun's bundler into
// memory: once per process, on first use (a replica nobody opens /ui on never
// pays for it). No build output is committed and nothing is fetched at run time.
import { join } from "node:path";

export const CONSOLE_SOURCE_DIR = join(import.meta.dir, "..", "..", "..", "console");
export const ASSET_PREFIX = "/ui/assets/";

export interface ConsoleAsset {
  body: string;
  contentType: string;
}

export interface ConsoleBundle {
  /** The HTML document for every client-side route. */
  shell: string;
  /** By file name (content-hashed, so browsers may keep them forever). */
  assets: ReadonlyMap<string, ConsoleAsset>;
}

export async function buildConsole(sourceDir = CONSOLE_SOURCE_DIR): Promise<ConsoleBundle> {
  const result = await Bun.build({
    entrypoints: [join(sourceDir, "src", "main.tsx")],
    target: "browser",
    minify: true,
    naming: "[name]-[hash].[ext]",
    sourcemap: "none",
    // Production JSX and Preact whatever NODE_ENV the gateway runs under.
    jsx: { runtime: "automatic", importSource: "preact", development: false },
    define: { "process.env.NODE_ENV": JSON.stringify("production") },
  });
  if (!result.success) throw new AggregateError(result.logs, "building the console failed");
  const assets = new Map<string, ConsoleAsset>();
  for (const output of result.outputs) {
    const name = output.path.replace(/^\.\//, "");
    assets.set(name, { body: await output.text(), contentType: output.type });
  }
  const names = [...assets.keys()];
  const script = names.find((n) => n.endsWith(".js"));
  const styles = names.filter((n) => n.endsWith(".css"));
  if (!script) throw new Error("building the console produced no script");
  return { shell: shellHtml(script, styles), assets };
}

function shellHtml(script: string, styles: string[]): string {
  return [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light">',
    "<title>Console</title>",
    '<link rel="icon" href="data:,">',
    ...styles.map((s) => `<link rel="stylesheet" href="${ASSET_PREFIX}${s}">`),
    `<script type="module" src="${ASSET_PREFIX}${script}"></script>`,
    "</head>",
    "<body>",
    '<div id="app"><noscript>The console needs JavaScript.</noscript></div>',
    "</body>",
    "</html>",
  ].join("\n");
}

/** One build per process, shared by every app instance; a failed build is retried on the next request. */
let cached: Promise<ConsoleBundle> | undefined;
export function consoleBundle(): Promise<ConsoleBundle> {
  cached ??= buildConsole().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

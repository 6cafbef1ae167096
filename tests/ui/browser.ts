// Debian's Chromium driven by playwright-core, headless, for the console's
// browser tests. scripts/chromium.sh installs it on a fresh machine.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { REPO_ROOT } from "@platform/harness";

export const CHROMIUM_PATH = "/usr/bin/chromium";

/** Installs Chromium with apt when it is missing (minutes, once per machine); returns its path. */
export function ensureChromium(): string {
  const result = Bun.spawnSync(["bash", join(REPO_ROOT, "scripts/chromium.sh")], { stdout: "pipe", stderr: "inherit" });
  if (result.exitCode !== 0) throw new Error(`scripts/chromium.sh failed with exit code ${result.exitCode}`);
  return result.stdout.toString().trim();
}

// Without the background-networking flags Chromium keeps calling home, and on
// a closed network those connection attempts get in the way.
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh profile each time (Playwright passes it as --user-data-dir). */
export async function launchBrowser(executablePath = ensureChromium()): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), "console-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    timeout: 60_000,
  });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

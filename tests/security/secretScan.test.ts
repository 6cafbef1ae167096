// No secret enters the repository unnoticed: every detect-secrets finding in a
// tracked file must be in the audited baseline (.secrets.baseline), which lists
// only public development defaults and test fixtures.
import { afterAll, expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { REPO_ROOT } from "@platform/harness";
import { scan, unauditedFindings } from "../../scripts/secrets";

const scratch = await mkdtemp(join(REPO_ROOT, ".tools", "secret-scan-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));

test("tracked files hold no secret outside the audited baseline", async () => {
  const findings = await unauditedFindings();
  expect(findings.map((f) => `${f.filename}:${f.line_number} ${f.type}`)).toEqual([]);
}, 180_000);

test("the scanner does catch a committed credential (so the check above means something)", async () => {
  const leaked = join(scratch, "leak.ts");
  // Assembled at run time, so this file itself holds no credential-shaped literal.
  const accessKey = ["AKIA", "IOSFODNN7QZXPLRT"].join("");
  await writeFile(leaked, `const key = "${accessKey}";\n`);
  const findings = scan([relative(REPO_ROOT, leaked)]);
  expect(findings.map((f) => f.type)).toContain("AWS Access Key");
}, 180_000);

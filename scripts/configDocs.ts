// Rewrites the settings table in README.md (## Configuration) from the config schemas.
import { join } from "node:path";
import { renderConfigTable, TABLE_END, TABLE_START } from "@platform/harness/configDocs";

const file = join(import.meta.dir, "..", "README.md");
const text = await Bun.file(file).text();
const start = text.indexOf(TABLE_START);
const end = text.indexOf(TABLE_END);
if (start < 0 || end < 0) throw new Error(`${file} lacks the table markers`);
await Bun.write(file, `${text.slice(0, start + TABLE_START.length)}\n${renderConfigTable()}\n${text.slice(end)}`);
console.log(`wrote ${file}`);

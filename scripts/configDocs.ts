// Rewrites the settings table in docs/configuration.md from the config schemas.
import { join } from "node:path";
import { CONFIG_DOC, renderConfigTable, TABLE_END, TABLE_START } from "@platform/harness/configDocs";

const file = join(import.meta.dir, "..", CONFIG_DOC);
const text = await Bun.file(file).text();
const start = text.indexOf(TABLE_START);
const end = text.indexOf(TABLE_END);
if (start < 0 || end < 0) throw new Error(`${file} lacks the table markers`);
await Bun.write(file, `${text.slice(0, start + TABLE_START.length)}\n${renderConfigTable()}\n${text.slice(end)}`);
console.log(`wrote ${file}`);

#!/usr/bin/env bun
// The `platform` command (`bun run cli …` from the repository): see docs/cli.md.
import { processIo } from "./io";
import { runCli } from "./run";

process.exitCode = await runCli(process.argv.slice(2), processIo(), process.env);

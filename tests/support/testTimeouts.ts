// Preloaded by bunfig.toml: suites that start real processes need more than
// bun's 5 s default (bunfig's [test] timeout is not applied to hooks by bun 1.4.5).
import { setDefaultTimeout } from "bun:test";

setDefaultTimeout(30_000);

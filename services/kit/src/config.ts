// The one place that turns environment variables into settings. Each process
// declares a zod schema of the variables it reads; parseConfig checks all of
// them at once and reports every problem by variable name.
import { z } from "zod";

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export type Env = Record<string, string | undefined>;

/** Values of these variables never appear in error messages (which end up in logs). */
const SECRET_NAME = /SECRET|PASSWORD|TOKEN|PRIVATE|CREDENTIAL|DATABASE_URL/i;

/** Parses `env` against `schema`; throws one ConfigError naming every bad variable. */
export function parseConfig<S extends z.ZodType>(schema: S, env: Env = process.env): Readonly<z.output<S>> {
  // An empty variable means "not set", so defaults apply (as shells and k8s often pass "").
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = issue.path.join(".") || "(environment)";
        const value = cleaned[name];
        const shown =
          value === undefined ? "unset" : SECRET_NAME.test(name) ? "value hidden" : `got ${JSON.stringify(value)}`;
        return `${name}: ${issue.message} (${shown})`;
      }),
    );
  }
  return Object.freeze(result.data);
}

/** Building blocks for env schemas, so every process reads ports and durations alike. */
export const env = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  positiveInt: (fallback: number) => z.coerce.number().int().positive().default(fallback),
  logLevel: () => z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /**
   * A gRPC target: `host:port`, `dns:///host:port`, `ipv4:a:p,b:p`, `ipv6:[a]:p`,
   * `unix:/path`. Not `unix-abstract:`, which neither kit's channel nor grpc-js
   * 1.14 resolves: every call would fail, so it is refused at start.
   */
  grpcTarget: (fallback: string) =>
    z
      .string()
      .trim()
      .regex(
        /^(?:(?:dns|ipv4|ipv6|unix):.+|\[?[\w.:-]+\]?:\d{1,5})$/,
        "must be a gRPC target such as host:port or dns:///host:port",
      )
      .refine(
        (target) => !target.startsWith("unix-abstract:"),
        "unix-abstract: targets are not supported (use unix:/path)",
      )
      .default(fallback),
};

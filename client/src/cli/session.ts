// One run of the CLI: where the gateway is, which token to send, and how to
// print (tables or --json). URL: --url, else $PLATFORM_URL, else the saved one,
// else the local edge. Token: $PLATFORM_TOKEN, else the saved one.
import { type Api, createApi } from "../api";
import type { GlobalValues } from "./args";
import { type CliConfig, readConfig } from "./config";
import { NotLoggedIn, UsageError } from "./exitCodes";
import type { Io } from "./io";

export type Env = Record<string, string | undefined>;

export const DEFAULT_URL = "http://localhost:8080";

export class Session {
  #config: CliConfig | undefined;

  constructor(
    readonly program: string,
    readonly io: Io,
    readonly env: Env,
    readonly values: GlobalValues,
  ) {}

  get json(): boolean {
    return this.values.json === true;
  }

  /** The saved settings (read once; a file readable by others is warned about). */
  get config(): CliConfig {
    this.#config ??= readConfig(this.env, (message) => this.io.err(`warning: ${message}`));
    return this.#config;
  }

  get url(): string {
    return this.values.url ?? (this.env.PLATFORM_URL || undefined) ?? this.config.url ?? DEFAULT_URL;
  }

  /** The token to send, or NotLoggedIn (exit 3) when there is none or it has lapsed. */
  token(): string {
    const fromEnv = this.env.PLATFORM_TOKEN;
    if (fromEnv) return fromEnv;
    const { token, expires_at } = this.config;
    if (!token) throw new NotLoggedIn(`not logged in: run \`${this.program} login\` (or set PLATFORM_TOKEN)`);
    if (expires_at && Date.parse(expires_at) <= Date.now())
      throw new NotLoggedIn(`the login expired at ${expires_at}: run \`${this.program} login\` again`);
    return token;
  }

  /** The typed client for this run; `anonymous` for the calls that need no token (login). */
  api(options: { anonymous?: boolean } = {}): Api {
    const token = options.anonymous ? undefined : this.token();
    try {
      return createApi({ baseUrl: this.url, ...(token ? { token } : {}) });
    } catch (error) {
      throw new UsageError(`--url: ${(error as Error).message}`);
    }
  }

  /** The result: `human()` for people, `data` as JSON with --json. */
  print(data: unknown, human: () => string): void {
    if (this.json) this.io.out(JSON.stringify(data));
    else {
      const text = human();
      if (text) this.io.out(text);
    }
  }
}

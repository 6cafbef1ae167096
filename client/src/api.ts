// The gateway's HTTP API as an Eden treaty client, typed from the gateway's own
// route declarations (`App`): paths, parameters, bodies and responses come from
// the same TypeBox schemas the server validates with. Only the type is imported:
// nothing of the gateway's code reaches a bundle that uses this client.
import { type Treaty, treaty } from "@elysiajs/eden";
import type { App } from "@platform/gateway/app";
import { ApiError, NetworkError, toProblem } from "./problem";

export type Api = Treaty.Create<App>;

export interface ClientOptions {
  /** The gateway or the edge, e.g. "http://localhost:8080"; in a browser, the page's origin by default. */
  baseUrl?: string;
  /** The bearer token, or a function asked before every call (so a new login takes effect at once). */
  token?: string | (() => string | undefined);
  /** Gives up a call after this long (NetworkError); watches are not bounded by it. Default 30 s; 0: never. */
  timeoutMs?: number;
  /** Another fetch (tests, instrumentation). */
  fetcher?: typeof fetch;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/** A base URL without trailing slashes; http(s) only. Throws a TypeError naming what is wrong. */
export function normalizeBaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`not a URL: ${JSON.stringify(url)} (expected e.g. http://localhost:8080)`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
    throw new TypeError(`not an http(s) URL: ${JSON.stringify(url)}`);
  if (parsed.search || parsed.hash) throw new TypeError(`a base URL has no query or fragment: ${JSON.stringify(url)}`);
  return parsed.href.replace(/\/+$/, "");
}

function defaultBaseUrl(): string {
  const origin = (globalThis as { location?: { origin?: string } }).location?.origin;
  if (!origin) throw new TypeError("baseUrl is required outside a browser");
  return origin;
}

/** The typed client. Calls resolve to Eden's `{ data, error, status, response }`; `unwrap` turns them into data or a thrown error. */
export function createApi(options: ClientOptions = {}): Api {
  const baseUrl = normalizeBaseUrl(options.baseUrl ?? defaultBaseUrl());
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const tokenOf = typeof options.token === "function" ? options.token : () => options.token as string | undefined;
  return treaty<App>(baseUrl, {
    keepDomain: true,
    // The API's timestamps stay RFC 3339 strings, as their declared types say.
    parseDate: false,
    ...(options.fetcher ? { fetcher: options.fetcher } : {}),
    headers() {
      const token = tokenOf();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    onRequest(_path, init) {
      // A call that brings its own signal (a watch) decides for itself how long it lasts.
      if (init.signal || timeoutMs <= 0) return;
      return { signal: AbortSignal.timeout(timeoutMs) };
    },
  });
}

/** What every treaty call resolves to, whatever its route. */
export interface TreatyResult<T> {
  data: T | null;
  error: { status: unknown; value: unknown } | null;
  status: number;
  response: Response | undefined;
}

/** An error as thrown by `unwrap`: the gateway's answer, or none at all. */
export function toError(result: TreatyResult<unknown>): ApiError | NetworkError {
  // Eden reports a fetch that threw (refused, reset, timed out) as status 503 without a response.
  if (!result.response) return new NetworkError(result.error?.value);
  return new ApiError(result.status, toProblem(result.status, result.error?.value));
}

/** The data of a successful call; otherwise throws ApiError (the gateway's problem) or NetworkError. */
export async function unwrap<R extends TreatyResult<unknown>>(call: Promise<R>): Promise<Exclude<R["data"], null>> {
  const result = await call;
  if (result.error || !result.response) throw toError(result);
  return result.data as Exclude<R["data"], null>;
}

// The typed client (@platform/client) against a running system over real HTTP
// (the gateway or the edge): whole-system suites call the API through it, so the
// shapes they read are the gateway's declared ones. Raw fetch stays for requests
// the client would not send (malformed bodies, wrong types, odd headers).
import { type Api, createApi, unwrap } from "@platform/client";

/** The typed client for `baseUrl`, sending `token` (none: anonymous). */
export const clientFor = (baseUrl: string, token?: string): Api => createApi({ baseUrl, ...(token ? { token } : {}) });

/** POST /login; its access token (an ApiError when refused). */
export async function loginAs(baseUrl: string, username = "admin", password = "secret"): Promise<string> {
  return (await unwrap(clientFor(baseUrl).login.post({ username, password }))).access_token;
}

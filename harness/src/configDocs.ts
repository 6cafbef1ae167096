// Renders docs/configuration.md's table from the zod schemas every process
// parses, so the table cannot drift: tests/config.test.ts compares the file with
// this output, and `bun scripts/configDocs.ts` rewrites it.
import { DEV_JWT_SECRET, gatewayConfigSchema } from "../../gateway/src/config";
import { jobsConfigSchema } from "../../services/jobs/src/config";
import { workerConfigSchema } from "../../worker/src/config";
import { serviceConfigSchema } from "../../services/kit/src/serviceConfig";
import { pipelinesConfigSchema } from "../../services/pipelines/src/config";
import { usersConfigSchema } from "../../services/users/src/config";
import { devConfigSchema } from "./devConfig";
import type { z } from "zod";

/** The file that holds the table, from the repository root. */
export const CONFIG_DOC = "docs/configuration.md";

interface Component {
  name: string;
  schema: z.ZodObject;
  /** Defaults that depend on the process, shown as words. */
  shownDefaults?: Record<string, string>;
  /** List only these variables (a service's own, beside the shared ones). */
  only?: readonly string[];
}

/** The variables a service adds to the shared service settings. */
function ownKeys(schema: z.ZodObject): string[] {
  const shared = new Set(Object.keys(serviceConfigSchema(0).shape));
  return Object.keys(schema.shape).filter((key) => !shared.has(key));
}

export const COMPONENTS: Component[] = [
  {
    name: "gateway",
    schema: gatewayConfigSchema,
    shownDefaults: {
      GATEWAY_REPLICA_ID: "the host name",
      JWT_SECRET_KEY: `a development-only key (\`${DEV_JWT_SECRET.slice(0, 8)}…\`)`,
    },
  },
  {
    name: "users, jobs, pipelines",
    schema: serviceConfigSchema(0),
    shownDefaults: { PORT: "50051 users, 50052 jobs, 50053 pipelines" },
  },
  { name: "users", schema: usersConfigSchema, only: ownKeys(usersConfigSchema) },
  { name: "jobs", schema: jobsConfigSchema, only: ownKeys(jobsConfigSchema) },
  { name: "pipelines", schema: pipelinesConfigSchema, only: ownKeys(pipelinesConfigSchema) },
  { name: "worker (`bun run worker`)", schema: workerConfigSchema, shownDefaults: { WORKER_ID: "host name and pid" } },
  { name: "`bun run dev`", schema: devConfigSchema },
];

/** What each variable means; a variable without an entry fails the test. */
export const MEANINGS: Record<string, string> = {
  PORT: "Port to listen on (HTTP for the gateway, gRPC for a service); 0 picks a free one.",
  HOST: "Address to bind.",
  LOG_LEVEL: "pino level: fatal, error, warn, info, debug, trace or silent.",
  JWT_SECRET_KEY: "HMAC key that signs and verifies bearer tokens (k8s Secret `jwt-secret`).",
  JWT_ALGORITHM: "HS256, HS384 or HS512; tokens signed otherwise are refused.",
  JWT_EXPIRE_MINUTES: "Lifetime of a token from POST /login.",
  JWT_ISSUER: "`iss` claim written and required.",
  JWT_AUDIENCE: "`aud` claim written and required.",
  JWT_CLOCK_SKEW_SECONDS: "Leeway for `exp`/`nbf` checks (0-300).",
  ADMIN_USERNAME: "The account POST /login accepts.",
  ADMIN_PASSWORD: "Its password.",
  PASSWORD_HASH_CONCURRENCY:
    "argon2id hashes and checks run at once per process (1-64; each holds 64 MiB, the rest wait): one per CPU of the pod's limit.",
  USER_SERVICE_URL: "gRPC target of the users service (`dns:///users:50051` in k8s for round robin).",
  PIPELINE_SERVICE_URL: "gRPC target of the pipelines service.",
  UPSTREAM_TIMEOUT_MS: "Deadline of every upstream gRPC call (retries included).",
  READINESS_TIMEOUT_MS: "Deadline of each upstream health check behind /health/dependencies.",
  UPSTREAM_BREAKER_FAILURES: "Consecutive UNAVAILABLE/DEADLINE_EXCEEDED answers that open an upstream's circuit.",
  UPSTREAM_BREAKER_WINDOW_MS: "Those failures count as consecutive only within this window.",
  UPSTREAM_BREAKER_COOLDOWN_MS: "How long an open circuit fails fast (503 + Retry-After) before one probe call.",
  MAX_BODY_BYTES: "Largest request body accepted (413 beyond).",
  GATEWAY_REPLICA_ID: "Names the replica in the `x-served-by` header.",
  SHUTDOWN_DELAY_MS: "After SIGTERM, how long to keep serving while readiness fails, before draining.",
  SHUTDOWN_TIMEOUT_MS: "How long in-flight requests/calls get to finish before they are cut.",
  METRICS_PORT: "Port of the separate Prometheus `/metrics` endpoint (0 picks a free one).",
  GRPC_TLS_CA_FILE:
    "PEM CA that signs every gRPC peer's certificate. With GRPC_TLS_CERT_FILE and GRPC_TLS_KEY_FILE (all three or none): mutual TLS on every gRPC server and client of the process; unset: plaintext.",
  GRPC_TLS_CERT_FILE:
    "PEM certificate (chain) this process presents as server and as client; services need extendedKeyUsage serverAuth and clientAuth.",
  GRPC_TLS_KEY_FILE: "PEM private key of GRPC_TLS_CERT_FILE.",
  GRPC_TLS_SERVER_NAME:
    "Name expected in servers' certificates instead of each target's host; required with TLS when a target is an IP address.",
  GRPC_HEALTH_PORT:
    "Extra plaintext port serving only `grpc.health.v1`, for probes that cannot do TLS (kubelet gRPC probes); 0 picks a free one; unset: none.",
  OTEL_EXPORTER_OTLP_ENDPOINT:
    "OTLP/HTTP collector base URL (spans go to `<url>/v1/traces`, JSON); unset: tracing off, `traceparent` still passed on.",
  OTEL_SERVICE_NAME: "`service.name` of exported spans (default: api-gateway, users, jobs, pipelines).",
  OTEL_TRACES_SAMPLER_ARG:
    "Fraction of new traces sampled (0-1); an incoming sampled `traceparent` is always followed.",
  OTEL_BSP_SCHEDULE_DELAY: "Milliseconds between span export batches.",
  GATEWAY_REPLICAS: "Gateway replicas to start (the first on GATEWAY_PORT, the others on the next ports).",
  GATEWAY_PORT: "Port of the first gateway replica.",
  USERS_PORT: "gRPC port of the users service.",
  JOBS_PORT: "gRPC port of the jobs service.",
  PIPELINES_PORT: "gRPC port of the pipelines service.",
  USERS_METRICS_PORT: "Metrics port of the users service.",
  JOBS_METRICS_PORT: "Metrics port of the jobs service.",
  PIPELINES_METRICS_PORT: "Metrics port of the pipelines service.",
  EDGE_RATE_LIMIT_PER_CLIENT_RPS:
    "Requests per second each client may make through Envoy (a bucket per client address, and per token subject where jwt_authn runs); 0: no edge rate limit. Also read by `bun run envoy:render`.",
  EDGE_RATE_LIMIT_BURST: "Size of each client's bucket (requests at once); unset: twice the rate.",
  EDGE_RATE_LIMIT_MAX_CLIENTS: "Clients with a bucket at once, per Envoy; the least recently seen start afresh beyond.",
  EDGE_ACCESS_LOG:
    "Which requests Envoy's JSON access log has: `failures` (failed or cut-short requests and every gRPC call; the gateway replica that served a request logs it as `request served`) or `all`. Also read by `bun run envoy:render`.",
  EDGE_TRUSTED_HOPS:
    "Load balancers in front of Envoy whose X-Forwarded-For entry names the client (Envoy's xff_num_trusted_hops); the gateway then trusts 1 + this many hops.",
  TRUSTED_PROXIES:
    "Comma-separated CIDRs of peers whose X-Forwarded-For is believed (TRUSTED_PROXY_HOPS applies only to them); anyone else is taken at its socket address.",
  LOG_FORMAT: "`pretty` (one readable line per entry) or `json` (as the processes print it).",
  DATABASE_URL:
    "Unset: an SQLite file per service under DATA_DIR. a `postgres://` URL for PostgreSQL, `sqlite:<path>` for a given file.",
  DATA_DIR: "Where the SQLite files live (one per service).",
  DATABASE_POOL_SIZE: "PostgreSQL connections per process.",
  JOBS_RETRY_BACKOFF_MS: "Wait before a failed job's first retry; doubles with each attempt.",
  JOBS_MAX_RETRY_BACKOFF_MS: "Cap on that wait.",
  JOBS_LEASE_SWEEP_MS: "How often expired leases go back to PENDING (the job returned wakes a waiting claim at once).",
  JOBS_WATCH_POLL_MS:
    "How often WatchJob re-reads a job anyway (a safety net): changes by this replica wake it at once, and on PostgreSQL so do other replicas' (LISTEN/NOTIFY).",
  JOBS_RETENTION_DAYS:
    "SUCCEEDED, FAILED and CANCELLED jobs are deleted this many days after they finished, in batches of 500; 0 keeps them forever. PENDING and RUNNING jobs are never deleted.",
  JOBS_RETENTION_INTERVAL_MS: "How often the retention task looks for old finished jobs.",
  JOBS_STATS_CACHE_MS:
    "How long the queue gauges (jobs_queue_depth, jobs_queue_oldest_age_seconds, jobs_by_status) reuse one count query between scrapes.",
  JOBS_SERVICE_URL: "gRPC target of the jobs service (pipelines submit steps there; the worker claims from it).",
  JOBS_CALL_TIMEOUT_MS: "Deadline of each call to the jobs service.",
  PIPELINES_POLL_MS:
    "How often every active pipeline is reconciled anyway: only a safety sweep. Pipelines move the moment a step's job changes (the orchestrator watches up to 1,000 running step jobs); the sweep covers the rest and reopens broken watches.",
  PIPELINES_LEASE_MS:
    "How long a pipelines replica holds a pipeline it reconciles unless it renews the lease: how long a dead replica's pipelines wait for another.",
  PIPELINES_RETENTION_DAYS:
    "SUCCEEDED, FAILED and CANCELLED pipelines with no step left running are deleted with their steps this many days after their last change, in batches of 500; 0 keeps them forever. Active pipelines are never deleted.",
  PIPELINES_RETENTION_INTERVAL_MS: "How often the retention task looks for old finished pipelines.",
  WORKER_ID: "Names the worker in job leases.",
  WORKER_CONCURRENCY: "Jobs run at once.",
  WORKER_LEASE_SECONDS: "Lease asked for on each claim; renewed every third of it while running.",
  WORKER_CLAIM_WAIT_MS:
    "How long each claim waits on the jobs service for a job (a long poll, at most 30000); 0: poll.",
  WORKER_POLL_MS: "Backoff after a failed claim (and the poll interval when WORKER_CLAIM_WAIT_MS is 0).",
  WORKER_ACK_BATCH_SIZE:
    "Finished jobs' outcomes reported in one CompleteJobs call at most (1 to 500; 1: one CompleteJob or FailJob per job).",
  WORKER_ACK_LINGER_MS:
    "How long a finished job's outcome waits for others before its batch goes, unless a full batch is ready first (0: at once).",
  WORKER_CALL_TIMEOUT_MS: "Deadline of each call to the jobs service.",
  WORKER_SHUTDOWN_TIMEOUT_MS: "After SIGTERM, how long running jobs get to finish before they are released.",
  LOGIN_MAX_ATTEMPTS_PER_ADDRESS:
    "Login attempts one client address may make per throttle window (429 + Retry-After beyond).",
  LOGIN_MAX_FAILURES_PER_USERNAME:
    "Failed logins per username per window before that username is refused (429), even with the right password.",
  LOGIN_THROTTLE_WINDOW_SECONDS:
    "The login throttle's window, from the first attempt it counts; shared by every replica through the users service.",
  TRUSTED_PROXY_HOPS:
    "Proxies in front whose X-Forwarded-For entries are trusted for the client address (1 behind Envoy; 0: the socket peer).",
  CORS_ALLOWED_ORIGINS: "Comma-separated origins allowed to call the API from a browser; empty: CORS off.",
  HTTP_IDLE_TIMEOUT_SECONDS: "Idle keep-alive connections are closed after this long.",
  NODE_ENV: "`production` turns on REQUIRE_STRONG_SECRETS unless that is set.",
  REQUIRE_STRONG_SECRETS:
    "Refuse to start with the development JWT key, a key under 32 bytes, or the default admin password.",
  WORKERS: "Reference workers `bun run dev` starts (0: none; jobs then wait for an outside worker).",
  EDGE: "Run Envoy in front of the gateway replicas, as in Kubernetes.",
  EDGE_PORT: "Envoy's listener (the front door).",
  EDGE_READY_PORT: "Envoy's readiness listener (`GET /ready`).",
  EDGE_ADMIN_PORT: "Envoy's admin interface, on 127.0.0.1 only.",
};

function defaultOf(component: Component, name: string, field: z.ZodType): string {
  const shown = component.shownDefaults?.[name];
  if (shown) return shown;
  const parsed = field.safeParse(undefined);
  if (!parsed.success || parsed.data === undefined) return "unset";
  return `\`${String(parsed.data)}\``;
}

export function configRows(): { variable: string; component: string; fallback: string; meaning: string }[] {
  return COMPONENTS.flatMap((component) =>
    Object.entries(component.schema.shape)
      .filter(([variable]) => !component.only || component.only.includes(variable))
      .map(([variable, field]) => ({
        variable,
        component: component.name,
        fallback: defaultOf(component, variable, field as z.ZodType),
        meaning: MEANINGS[variable] ?? "",
      })),
  );
}

export function renderConfigTable(): string {
  const rows = configRows().map((r) => `| \`${r.variable}\` | ${r.component} | ${r.fallback} | ${r.meaning} |`);
  return ["| variable | component | default | meaning |", "|---|---|---|---|", ...rows].join("\n");
}

export const TABLE_START =
  "<!-- config-table:start (generated by `bun scripts/configDocs.ts`; do not edit by hand) -->";
export const TABLE_END = "<!-- config-table:end -->";

// What the code says about each deployable component: its image, the port it
// listens on by default, and the environment variables it reads. The deploy
// checks compare the manifests with these, so a port or variable renamed in
// the code fails them.
import { createApp } from "../../../gateway/src/app";
import { gatewayConfigSchema, loadGatewayConfig } from "../../../gateway/src/config";
import { createUpstreams } from "../../../gateway/src/upstream";
import { jobsConfigSchema } from "../../../services/jobs/src/config";
import { DEFAULT_PORT as JOBS_PORT } from "../../../services/jobs/src/server";
import { workerConfigSchema } from "../../../worker/src/config";
import { createLogger } from "../../../services/kit/src/logger";
import { serviceConfigSchema } from "../../../services/kit/src/serviceConfig";
import { pipelinesConfigSchema } from "../../../services/pipelines/src/config";
import { DEFAULT_PORT as PIPELINES_PORT } from "../../../services/pipelines/src/server";
import { DEFAULT_PORT as USERS_PORT, usersConfigSchema } from "../../../services/users/src/config";

/** The part of a zod object schema the checks use (zod is not a root dependency). */
export interface EnvSchema {
  shape: Record<string, { safeParse(value: unknown): { success: boolean } }>;
  parse(value: unknown): Record<string, unknown>;
}

export interface Component {
  /** Deployment, ServiceAccount and Service name; pod label app.kubernetes.io/name. */
  name: string;
  image: string;
  /** The Dockerfile's folder, also the image's WORKDIR under /app. */
  workspace: string;
  protocol: "grpc" | "http";
  /** The port the code listens on when PORT is unset. */
  defaultPort: number;
  /** The zod object the process parses its environment with. */
  envSchema: EnvSchema;
}

const gatewayPort = gatewayConfigSchema.shape.PORT.parse(undefined);

export const COMPONENTS: Component[] = [
  {
    name: "api-gateway",
    image: "api-gateway",
    workspace: "gateway",
    protocol: "http",
    defaultPort: gatewayPort,
    envSchema: gatewayConfigSchema,
  },
  {
    name: "users",
    image: "users-service",
    workspace: "services/users",
    protocol: "grpc",
    defaultPort: USERS_PORT,
    envSchema: usersConfigSchema,
  },
  {
    name: "jobs",
    image: "jobs-service",
    workspace: "services/jobs",
    protocol: "grpc",
    defaultPort: JOBS_PORT,
    envSchema: jobsConfigSchema,
  },
  {
    name: "pipelines",
    image: "pipeline-service",
    workspace: "services/pipelines",
    protocol: "grpc",
    defaultPort: PIPELINES_PORT,
    envSchema: pipelinesConfigSchema,
  },
];

/** The reference worker: its own image (worker/Dockerfile), no Service port. */
export const WORKER = {
  name: "jobs-worker",
  image: "jobs-worker",
  workspace: "worker",
  envSchema: workerConfigSchema as EnvSchema,
};

/** The port of the separate metrics endpoint every gRPC service serves. */
export const SERVICE_METRICS_PORT = Number(serviceConfigSchema(0).shape.METRICS_PORT.parse(undefined));

/** The gateway variable that names each service's gRPC target. */
export const UPSTREAM_URL_VARS: Record<string, string> = {
  USER_SERVICE_URL: "users",
  JOBS_SERVICE_URL: "jobs",
  PIPELINE_SERVICE_URL: "pipelines",
};

/** The variables of the seed's Secret jwt-secret, read by the gateway. */
export const JWT_SECRET_KEYS = ["JWT_SECRET_KEY", "JWT_ALGORITHM", "JWT_EXPIRE_MINUTES"];

/**
 * The gateway app as main.ts builds it (no port opened), with every upstream's
 * health check answering SERVING, so probe paths can be requested for real.
 */
export function buildGatewayApp() {
  const config = loadGatewayConfig({});
  const upstreams = createUpstreams(config);
  for (const upstream of Object.values(upstreams)) upstream.checkHealth = async () => "SERVING";
  const app = createApp({ config, logger: createLogger("deploy-test", "silent"), upstreams });
  return { app, close: () => Object.values(upstreams).forEach((u) => u.close()) };
}

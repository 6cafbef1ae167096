// gRPC server bootstrap shared by every service: health, reflection, limits,
// and a graceful shutdown that fails health first, drains, then stops.
import * as grpc from "@grpc/grpc-js";
import { ReflectionService } from "@grpc/reflection";
import { packageDefinition } from "@platform/proto";
import { HealthImplementation } from "grpc-health-check";
import { instrumentService } from "./grpcTelemetry";
import { grpcServerCredentials, type GrpcTls } from "./grpcTls";
import { drainWithin } from "./lifecycle";
import { announce, type Logger } from "./logger";

export interface ServiceBinding {
  /** Fully qualified name, e.g. users.v1.UsersService: what health checks ask for. */
  name: string;
  definition: grpc.ServiceDefinition;
  implementation: grpc.UntypedServiceImplementation;
}

export interface GrpcServerOptions {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  services: readonly ServiceBinding[];
  logger: Logger;
  /** How long in-flight calls get to finish on shutdown before they are cut. */
  shutdownTimeoutMs: number;
  /**
   * How long to keep serving while health reports NOT_SERVING, before closing
   * connections: time for probes and load balancers to notice and move away.
   */
  shutdownDelayMs?: number;
  maxMessageBytes?: number;
  /** Mutual TLS material (loadGrpcTls); undefined or null: plaintext. */
  tls?: GrpcTls | null | undefined;
  /**
   * A second, plaintext port serving grpc.health.v1 only (0 picks a free one),
   * for probes that cannot speak TLS, such as the kubelet's native gRPC probe
   * (GRPC_HEALTH_PORT). undefined or null: none.
   */
  healthPort?: number | null | undefined;
}

export interface RunningGrpcServer {
  port: number;
  /** The plaintext health-only port, when there is one. */
  healthPort?: number | undefined;
  /** Stops accepting, reports NOT_SERVING, lets in-flight calls finish within the timeout. */
  shutdown(): Promise<void>;
}

export const SERVER_CHANNEL_OPTIONS = {
  // Clients reconnect now and then, so new replicas get their share of the load.
  "grpc.max_connection_age_ms": 5 * 60_000,
  "grpc.max_connection_age_grace_ms": 30_000,
  // Accept the client keepalive pings the gateway sends through idle NAT/kube-proxy paths.
  "grpc.keepalive_permit_without_calls": 1,
  "grpc.http2.min_ping_interval_without_data_ms": 10_000,
  // Channelz stays on here although nothing serves it: grpc-js 1.14 only tracks the
  // sessions forceShutdown() cuts when it is on (a drain past its timeout would hang).
} as const;

function bind(server: grpc.Server, host: string, port: number, credentials: grpc.ServerCredentials): Promise<number> {
  const address = host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
  return new Promise<number>((resolve, reject) =>
    server.bindAsync(address, credentials, (error, boundPort) => (error ? reject(error) : resolve(boundPort))),
  );
}

export async function startGrpcServer(options: GrpcServerOptions): Promise<RunningGrpcServer> {
  const { logger } = options;
  const maxBytes = options.maxMessageBytes ?? 1024 * 1024;
  const server = new grpc.Server({
    ...SERVER_CHANNEL_OPTIONS,
    "grpc.max_receive_message_length": maxBytes,
    "grpc.max_send_message_length": 4 * maxBytes,
  });

  // Every method is counted, timed and traced here, so no handler has to remember to.
  for (const service of options.services)
    server.addService(service.definition, instrumentService(service.definition, service.implementation));

  const health = new HealthImplementation();
  const setServing = (status: "SERVING" | "NOT_SERVING") => {
    health.setStatus("", status);
    for (const service of options.services) health.setStatus(service.name, status);
  };
  setServing("SERVING");
  health.addToServer(server);
  // Only what this process serves: a client listing services sees the truth.
  new ReflectionService(packageDefinition, { services: options.services.map((s) => s.name) }).addToServer(server);

  const tls = options.tls ?? undefined;
  const port = await bind(server, options.host, options.port, grpcServerCredentials(tls));

  // Only the health service here: it says SERVING or not and nothing else, so it may skip TLS.
  const wantedHealthPort = options.healthPort ?? undefined;
  let healthServer: grpc.Server | undefined;
  let healthPort: number | undefined;
  if (wantedHealthPort !== undefined) {
    healthServer = new grpc.Server();
    health.addToServer(healthServer);
    try {
      healthPort = await bind(healthServer, options.host, wantedHealthPort, grpc.ServerCredentials.createInsecure());
    } catch (error) {
      server.forceShutdown();
      throw error;
    }
    announce(logger, { port: healthPort }, "gRPC health listening");
  }
  announce(
    logger,
    { port, services: options.services.map((s) => s.name), tls: tls ? "mutual" : "off" },
    "gRPC server listening",
  );

  const drain = async () => {
    setServing("NOT_SERVING");
    if (options.shutdownDelayMs) {
      logger.info({ delayMs: options.shutdownDelayMs }, "shutting down: reporting NOT_SERVING before draining");
      await Bun.sleep(options.shutdownDelayMs);
    }
    logger.info({ timeoutMs: options.shutdownTimeoutMs }, "shutting down: draining in-flight calls");
    const drained = await drainWithin(
      options.shutdownTimeoutMs,
      () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
      () => {
        logger.warn("drain timed out: cancelling remaining calls");
        server.forceShutdown();
      },
    );
    healthServer?.forceShutdown();
    if (drained) logger.info("gRPC server stopped");
  };
  let stopping: Promise<void> | undefined;
  const shutdown = () => (stopping ??= drain());

  return { port, healthPort, shutdown };
}

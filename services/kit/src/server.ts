// gRPC server bootstrap shared by every service: health, reflection, limits,
// and a graceful shutdown that fails health first, drains, then stops.
import type * as grpc from "@grpc/grpc-js";
import { packageDefinition } from "@platform/proto";
import { HealthImplementation } from "grpc-health-check";
import { instrumentService } from "./grpcTelemetry";
import type { GrpcTls } from "./grpcTls";
import { GrpcHttp2Server, type Http2ServerOptions } from "./http2/server";
import { drainWithin } from "./lifecycle";
import { announce, type Logger } from "./logger";
import { reflectionFor } from "./reflection";

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

/** Clients reconnect now and then, so new replicas get their share of the load. */
export const CONNECTION_AGE = { maxConnectionAgeMs: 5 * 60_000, maxConnectionAgeGraceMs: 30_000 } as const;

export async function startGrpcServer(options: GrpcServerOptions): Promise<RunningGrpcServer> {
  const { logger } = options;
  const maxBytes = options.maxMessageBytes ?? 1024 * 1024;
  const serverOptions: Http2ServerOptions = {
    ...CONNECTION_AGE,
    maxReceiveBytes: maxBytes,
    maxSendBytes: 4 * maxBytes,
  };
  const server = new GrpcHttp2Server(serverOptions);

  // Every method is counted, timed and traced here, so no handler has to remember to.
  for (const service of options.services)
    server.addService(service.definition, instrumentService(service.definition, service.implementation));

  const health = new HealthImplementation();
  const setServing = (status: "SERVING" | "NOT_SERVING") => {
    health.setStatus("", status);
    for (const service of options.services) health.setStatus(service.name, status);
  };
  setServing("SERVING");
  health.addToServer(server as unknown as grpc.Server);
  // Only what this process serves: a client listing services sees the truth.
  reflectionFor(
    packageDefinition,
    options.services.map((s) => s.name),
  ).addToServer(server);

  const tls = options.tls ?? undefined;
  const port = await server.listen(options.host, options.port, tls);

  // Only the health service here: it says SERVING or not and nothing else, so it may skip TLS.
  const wantedHealthPort = options.healthPort ?? undefined;
  let healthServer: GrpcHttp2Server | undefined;
  let healthPort: number | undefined;
  if (wantedHealthPort !== undefined) {
    healthServer = new GrpcHttp2Server(serverOptions);
    health.addToServer(healthServer as unknown as grpc.Server);
    try {
      healthPort = await healthServer.listen(options.host, wantedHealthPort);
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
      () => server.tryShutdown(),
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

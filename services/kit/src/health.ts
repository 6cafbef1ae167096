// A client for grpc.health.v1, used by the gateway's readiness and by tests.
import * as grpc from "@grpc/grpc-js";
import { service as healthService } from "grpc-health-check";
import { grpcClientTransport, type GrpcTls } from "./grpcTls";

type HealthResponse = { status: "UNKNOWN" | "SERVING" | "NOT_SERVING" | "SERVICE_UNKNOWN" };

interface HealthClient extends grpc.Client {
  Check(
    request: { service: string },
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: (error: grpc.ServiceError | null, response?: HealthResponse) => void,
  ): grpc.ClientUnaryCall;
}

const HealthClientConstructor = grpc.makeClientConstructor(healthService, "grpc.health.v1.Health") as unknown as new (
  target: string,
  credentials: grpc.ChannelCredentials,
  options?: grpc.ChannelOptions,
) => HealthClient;

/**
 * Makes a health client; pass `{ channelOverride: client.getChannel() }` to share
 * an existing channel (and its security). `tls` as for ServiceClient.
 */
export function createHealthClient(
  target: string,
  options: grpc.ChannelOptions = {},
  tls?: GrpcTls | null,
): HealthClient {
  const transport = grpcClientTransport(target, tls);
  return new HealthClientConstructor(target, transport.credentials, { ...transport.options, ...options });
}

/** "SERVING", another status, or the error's code and details when the check itself failed. */
export function healthAnswer(error: grpc.ServiceError | null, response?: { status?: string }): string {
  if (error) return `${grpc.status[error.code] ?? "UNKNOWN"}: ${error.details}`;
  return response?.status ?? "UNKNOWN";
}

/** Checks `service` on `client`'s channel: healthAnswer's text. */
export function checkHealth(client: HealthClient, service: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    client.Check({ service }, new grpc.Metadata(), { deadline: Date.now() + timeoutMs }, (error, response) =>
      resolve(healthAnswer(error, response)),
    );
  });
}

export type { HealthClient };

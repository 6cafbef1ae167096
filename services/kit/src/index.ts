export { ConfigError, env, parseConfig, type Env } from "./config";
export {
  AlreadyExistsError,
  DomainError,
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
  toGrpcError,
  Violations,
  type FieldViolation,
} from "./errors";
export {
  GRPC_TLS_FILE_VARIABLES,
  grpcClientTransport,
  grpcTlsConfigShape,
  loadGrpcTls,
  targetHost,
  type GrpcTls,
  type GrpcTlsConfig,
} from "./grpcTls";
export { checkHealth, createHealthClient, type HealthClient } from "./health";
export { announce, createLogger, lazyChild, perTurn, redact, REDACTED_KEYS, type Logger } from "./logger";
export {
  isUniqueViolation,
  openDatabase,
  violatedConstraint,
  type DatabaseSettings,
  type Db,
  type Dialect,
  type Queryable,
  type Row,
} from "./db/database";
export { appliedMigrations, migrate, type Migration } from "./db/migrate";
export {
  DEFAULT_PAGE_SIZE,
  encodePageToken,
  MAX_PAGE_SIZE,
  parsePageRequest,
  toPage,
  type PageRequest,
} from "./pagination";
export { ARGON2, PasswordHasher, passwordHashingConfigShape } from "./passwords";
export { installProcessGuards, runProcess, type Stoppable } from "./process";
export { REQUEST_ID_HEADER, serverCallOf, type CallContext } from "./requestContext";
export {
  CONNECTION_AGE,
  startGrpcServer,
  type GrpcServerOptions,
  type RunningGrpcServer,
  type ServiceBinding,
} from "./server";
export {
  loadServiceConfig,
  openServiceDatabase,
  serviceConfigSchema,
  type DatabaseConfig,
  type ServiceConfig,
} from "./serviceConfig";
export { serverStream, type ServerStreamHandler, type StreamContext } from "./serverStream";
export { unary, type UnaryHandler } from "./unary";
export {
  BAD_REQUEST_TYPE_URL,
  decodeFieldViolations,
  encodeBadRequestStatus,
  fieldViolationsMetadata,
  MAX_FIELD_VIOLATIONS,
  STATUS_DETAILS_BUDGET_BYTES,
  STATUS_DETAILS_HEADER,
  type DecodedFieldViolations,
} from "./statusDetails";
export { fromTimestamp, parseId, toTimestamp } from "./wire";
export { checkName, checkOwner, NAME_MAX_LENGTH, OWNER_MAX_LENGTH } from "./validation";
export {
  clientChannelOptions,
  ServiceClient,
  type CallOrigin,
  type MethodName,
  type DecodedRequestOf,
  type RequestOf,
  type ResponseOf,
  type ServiceClientOptions,
} from "./client";
export { injectTraceContext, instrumentService, metadataGetter, metadataSetter } from "./grpcTelemetry";
export {
  cellCounter,
  cellGauge,
  collectProcessMetrics,
  DEFAULT_METRICS_PORT,
  grpcClientMetrics,
  grpcServerMetrics,
  MetricCell,
  MetricCells,
  metricsRegistry,
  splitMethodPath,
  startMetricsServer,
  type RunningMetricsServer,
} from "./metrics";
export { drainWithin, Lifecycle, type StopStep } from "./lifecycle";
export {
  DAY_MS,
  Retention,
  RETENTION_BATCH_SIZE,
  retentionTasks,
  RETENTION_PAUSE_MS,
  type RetentionOptions,
} from "./retention";
export {
  runGrpcService,
  startGrpcService,
  type BackgroundTask,
  type GrpcService,
  type GrpcServiceDeps,
  type ServiceParts,
  type StartGrpcServiceOptions,
} from "./service";
export {
  endRpcSpan,
  extractContext,
  installContextPropagation,
  SpanKind,
  startSpan,
  startTracing,
  TRACEPARENT_HEADER,
  traceIdOf,
  tracingConfigShape,
  tracingEnabled,
  type Tracing,
  type TracingConfig,
} from "./tracing";

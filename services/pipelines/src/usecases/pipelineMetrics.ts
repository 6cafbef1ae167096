// The pipelines service's Prometheus metrics, on the process's metrics port (kit's registry).
import client from "prom-client";

export const pipelineMetrics = {
  retentionDeleted: new client.Counter({
    name: "pipelines_retention_deleted_total",
    help: "Finished pipelines (with their steps) deleted because they were older than PIPELINES_RETENTION_DAYS.",
  }),
};

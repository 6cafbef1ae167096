import { useRef, useState } from "preact/hooks";
import { ApiError, errorText, send, type Problem } from "../api";
import { Alert, PageTitle, useEvery } from "../components";
import { Link } from "../router";
import { ratesBetween, sampleFromSummary, type HttpRates, type HttpSample, type TrafficSummary } from "../metrics";

interface Dependencies {
  /** This replica's own readiness (/readyz). */
  ready: boolean;
  /** Each service's health as the gateway sees it (/health/dependencies). */
  upstreams: Record<string, string>;
  circuits: Record<string, string>;
  detail?: string;
}

export function System() {
  const [readiness, setReadiness] = useState<Dependencies | null>(null);
  const [replica, setReplica] = useState<{ servedBy: string; replica: string } | null>(null);
  const [seen, setSeen] = useState<string[]>([]);
  const [rates, setRates] = useState<HttpRates | null>(null);
  const [metrics, setMetrics] = useState<"loading" | "absent" | "ok">("loading");
  const [error, setError] = useState("");
  // Rates only make sense between two samples of the same replica.
  const previous = useRef<{ replica: string; sample: HttpSample } | null>(null);

  useEvery(5_000, () => {
    void (async () => {
      try {
        const [ready, response] = await Promise.all([
          fetch("/readyz"),
          fetch("/health/dependencies", { headers: { accept: "application/json" } }),
        ]);
        const body = (await response.json()) as Problem & {
          upstreams?: Record<string, string>;
          circuits?: Record<string, string>;
        };
        setReadiness({
          ready: ready.ok,
          upstreams: body.upstreams ?? {},
          circuits: body.circuits ?? {},
          detail: body.detail,
        });
        const root = await send("GET", "/");
        const info = (await root.json()) as { replica?: string };
        const servedBy = root.headers.get("x-served-by") ?? info.replica ?? "unknown";
        setReplica({ servedBy, replica: info.replica ?? servedBy });
        setSeen((list) => (list.includes(servedBy) ? list : [...list, servedBy]));
        setError("");
      } catch (e) {
        setError(errorText(e));
      }
      try {
        const summary = (await (await send("GET", "/ui/api/metrics")).json()) as TrafficSummary;
        const sample = sampleFromSummary(summary);
        if (previous.current?.replica === summary.replica) setRates(ratesBetween(previous.current.sample, sample));
        previous.current = { replica: summary.replica, sample };
        setMetrics("ok");
      } catch (e) {
        setMetrics(e instanceof ApiError && (e.status === 404 || e.status === 403) ? "absent" : "loading");
      }
    })();
  }, []);

  return (
    <>
      <PageTitle>System</PageTitle>
      <p class="hint">Refreshed every 5 s.</p>
      {error && <Alert>{error}</Alert>}
      <div class="cards">
        <section class="card" aria-labelledby="upstreams-title">
          <h2 id="upstreams-title">Services</h2>
          {readiness ? (
            <>
              <p>
                Gateway readiness:{" "}
                <strong class={readiness.ready ? "ok-text" : "error-text"}>
                  {readiness.ready ? "ready" : "not ready"}
                </strong>
              </p>
              <ul class="health-list">
                {Object.entries(readiness.upstreams).map(([name, state]) => (
                  <li key={name} data-service={name}>
                    <span class={`dot ${state === "SERVING" ? "dot-ok" : "dot-bad"}`} aria-hidden="true" />
                    <span class="service-name">{name}</span>{" "}
                    <span class={state === "SERVING" ? "ok-text" : "error-text"}>
                      {state.toLowerCase().replace("_", " ")}
                    </span>
                    {readiness.circuits[name] && readiness.circuits[name] !== "closed" && (
                      <span class="hint"> (circuit {readiness.circuits[name]}: its routes answer 503)</span>
                    )}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p>Loading…</p>
          )}
        </section>
        <section class="card" aria-labelledby="replica-title">
          <h2 id="replica-title">Gateway replicas</h2>
          {replica ? (
            <>
              <p>
                This answer came from <strong>{replica.servedBy}</strong>.
              </p>
              <p>Replicas seen from this page: {seen.join(", ")}</p>
            </>
          ) : (
            <p>Loading…</p>
          )}
        </section>
        <section class="card" aria-labelledby="traffic-title">
          <h2 id="traffic-title">Traffic</h2>
          {metrics === "absent" && (
            <p>Traffic figures need the admin role; Prometheus scrapes each replica's /metrics inside the cluster.</p>
          )}
          {metrics !== "absent" && !rates && <p>Measuring (needs two samples, 5 s apart)…</p>}
          {metrics === "ok" && rates && (
            <dl class="facts">
              <dt>Requests per second</dt>
              <dd>{rates.requestsPerSecond.toFixed(2)}</dd>
              <dt>Mean latency</dt>
              <dd>{rates.meanLatencyMs === null ? "–" : `${rates.meanLatencyMs.toFixed(1)} ms`}</dd>
              <dt>95th percentile</dt>
              <dd>{rates.p95LatencyMs === null ? "–" : `≤ ${rates.p95LatencyMs} ms`}</dd>
            </dl>
          )}
          <p class="hint">
            From the replica that answered (/ui/api/metrics); Envoy spreads requests over replicas, so a change of
            replica restarts the measurement.
          </p>
        </section>
      </div>
      <p>
        The job queue per kind, with its dead-letter jobs and bulk retry, is on the{" "}
        <Link href="/ui/queues">Queues</Link> page.
      </p>
    </>
  );
}

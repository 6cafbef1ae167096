// A step's job payload, rendered when the step becomes ready: its template
// (domain/template.ts) over the pipeline's parameters and the results of the
// steps it references, read from their jobs. A payload without templates is
// passed on as it is, without a call.
import { status } from "@grpc/grpc-js";
import type { Pipeline, Step } from "../domain/pipeline";
import { referencedSteps, renderStepPayload } from "../domain/stepData";
import { TemplateError } from "../domain/template";
import type { CallOptions, JobsApi } from "../clients/jobsClient";

/** The payload for the step's job, or why it cannot be made (the step then fails with it). */
export async function stepPayload(
  pipeline: Pipeline,
  step: Step,
  jobs: Pick<JobsApi, "get">,
  options: CallOptions,
): Promise<{ payload: string | null } | { error: string }> {
  if (!pipeline.templated) return { payload: step.payload };
  try {
    const results = new Map<string, string>();
    for (const name of referencedSteps(step, pipeline.steps)) {
      // A referenced step is a dependency (checked at create), so it SUCCEEDED and has a job.
      const jobId = pipeline.steps.find((s) => s.name === name)?.jobId;
      if (jobId == null) continue;
      try {
        results.set(name, (await jobs.get(jobId, options)).result);
      } catch (error) {
        if ((error as { code?: unknown }).code !== status.NOT_FOUND) throw error;
        return { error: `payload: step ${name}'s job ${jobId} no longer exists; re-run the pipeline` };
      }
    }
    return { payload: renderStepPayload(step, pipeline.steps, pipeline.parameters, (name) => results.get(name)) };
  } catch (error) {
    if (error instanceof TemplateError) return { error: `payload: ${error.message}` };
    throw error;
  }
}

// Tells in-process watchers that a pipeline changed: every save this process
// makes (the orchestrator's reconciles, cancels) goes through savesTold(), so
// WatchPipeline wakes at once; other replicas' saves are caught by its poll.
import { EventEmitter } from "node:events";
import type { Pipeline } from "../domain/pipeline";
import type { PipelineRepository } from "../store/pipelineRepository";

export class PipelineChanges {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  /** Calls `listener` after every save this process makes to the pipeline; returns the unsubscribe. */
  on(id: number, listener: () => void): () => void {
    this.emitter.on(String(id), listener);
    return () => void this.emitter.off(String(id), listener);
  }

  tell(id: number): void {
    this.emitter.emit(String(id));
  }

  /** The repository, telling watchers after every save that went through. */
  savesTold(repository: PipelineRepository): PipelineRepository {
    const told = async (pipeline: Pipeline, saved: Promise<boolean>) => {
      if (await saved) this.tell(pipeline.id);
      return saved;
    };
    return {
      create: (...args) => repository.create(...args),
      get: (id) => repository.get(id),
      listAfter: (...args) => repository.listAfter(...args),
      save: (pipeline, stored) => told(pipeline, repository.save(pipeline, stored)),
      saveRetry: (pipeline) => told(pipeline, repository.saveRetry(pipeline)),
      claim: (...args) => repository.claim(...args),
      release: (...args) => repository.release(...args),
      activeIds: () => repository.activeIds(),
      deleteFinishedBefore: (...args) => repository.deleteFinishedBefore(...args),
    };
  }
}

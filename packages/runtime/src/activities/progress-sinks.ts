/**
 * Worker-side receiver for the workflow's best-effort progress sink (`PROGRESS_SINK`). Pass the
 * result as `Worker.create({ sinks })`; without it the worker logs an error per sink call.
 */
import { PROGRESS_SINK, type RunRecordBatch } from '../contract.ts';

/**
 * Builds the `sinks` option of `Worker.create` for the progress sink: `report` receives a
 * `RunRecordBatch` holding the one step that changed (or no steps for a run status change).
 *
 * @example
 * Worker.create({ ..., sinks: progressSinks((batch) => publish(batch.run.runId, batch.steps)) })
 */
export function progressSinks(report: (batch: RunRecordBatch) => void = () => undefined) {
  return {
    [PROGRESS_SINK]: {
      report: { fn: (_info: unknown, batch: RunRecordBatch) => report(batch), callDuringReplay: false },
    },
  };
}

/**
 * `wbRecordRun` for standalone projects: prints each batch as one JSON line. The platform's
 * worker registers its own implementation that writes `user_workflow_run(_step)` rows.
 */
import type { RunRecordBatch } from '../contract.ts';

/** Signature of the `wbRecordRun` local activity. */
export type RecordRunFn = (batch: RunRecordBatch) => Promise<void>;

/**
 * A `wbRecordRun` that writes one JSON line per batch.
 *
 * @example
 * createStepActivities({ secrets: envSecrets(process.env), recordRun: consoleRecordRun() })
 */
export function consoleRecordRun(write: (line: string) => void = (line) => console.log(line)): RecordRunFn {
  return async function wbRecordRun(batch: RunRecordBatch): Promise<void> {
    write(
      JSON.stringify({
        event: 'wb.run',
        runId: batch.run.runId,
        status: batch.status,
        steps: batch.steps.map((step) => ({
          stepNumber: step.stepNumber,
          nodeId: step.nodeId,
          iterationKey: step.iterationKey ?? null,
          status: step.status,
          retryCount: step.retryCount,
          error: step.error?.message ?? null,
        })),
        ...(batch.status === 'running' ? {} : { output: batch.output ?? null, error: batch.error ?? null }),
      }),
    );
  };
}

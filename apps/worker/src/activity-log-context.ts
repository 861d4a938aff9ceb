import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type { StepActivityMeta } from '@workflow-builder/runtime/contract';

/** Whether an activity's first argument is the step metadata the generated code passes. */
export function isStepMeta(value: unknown): value is StepActivityMeta {
  return value !== null && typeof value === 'object' && typeof (value as { runId?: unknown }).runId === 'string'
    && typeof (value as { nodeId?: unknown }).nodeId === 'string';
}

/** The fields a step activity's log lines carry, so logs can be filtered by workstream and client. */
export function stepLogAttributes(meta: StepActivityMeta): Record<string, unknown> {
  return {
    wbRunId: meta.runId,
    wbNodeId: meta.nodeId,
    wbStepNumber: meta.stepNumber,
    wbOrgId: meta.orgId,
    wbProjectId: meta.projectId,
    wbWorkstream: meta.workstreamSlug ?? null,
    wbClientId: meta.clientId ?? null,
  };
}

/**
 * Adds the step's run, node, workstream and client to every structured log line of a step
 * activity (`Context.current().log` and the SDK's own activity logs), read from the
 * `StepActivityMeta` argument when the activity starts.
 *
 * @example
 * Worker.create({ ..., interceptors: { activity: [stepLogContext] } })
 */
export const stepLogContext: ActivityInterceptorsFactory = () => {
  let attributes: Record<string, unknown> = {};
  return {
    inbound: {
      execute: (input, next) => {
        if (isStepMeta(input.args[0])) attributes = stepLogAttributes(input.args[0]);
        return next(input);
      },
    },
    outbound: {
      getLogAttributes: (input, next) => next({ ...input, ...attributes }),
    },
  };
};

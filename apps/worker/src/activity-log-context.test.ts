import { describe, expect, it } from 'vitest';
import type { ActivityExecuteInput, GetLogAttributesInput } from '@temporalio/worker';
import type { StepActivityMeta } from '@workflow-builder/runtime/contract';
import { isStepMeta, stepLogContext } from './activity-log-context.ts';

const meta: StepActivityMeta = {
  runId: 'run-1', stepNumber: 2, nodeId: 'fetch', nodeKind: 'http.request', orgId: 'org-1', projectId: 'p-1', recordSteps: true,
  workstreamSlug: 'sales', clientId: 'client-1',
};

/** Runs an activity through the interceptors and returns the log attributes seen while it ran. */
async function logAttributesDuring(args: unknown[]): Promise<Record<string, unknown>> {
  const { inbound, outbound } = stepLogContext({} as never);
  let seen: Record<string, unknown> = {};
  const base: GetLogAttributesInput = { activityType: 'wbHttpRequest', attempt: 1 };
  await inbound!.execute!({ args, headers: {} } as ActivityExecuteInput, async () => {
    seen = outbound!.getLogAttributes!(base, (input) => input);
    return null;
  });
  return seen;
}

describe('step activity log context', () => {
  it('adds run, node, workstream and client to the activity\'s log attributes', async () => {
    expect(await logAttributesDuring([meta, { url: 'https://x.test' }])).toEqual({
      activityType: 'wbHttpRequest', attempt: 1,
      wbRunId: 'run-1', wbNodeId: 'fetch', wbStepNumber: 2, wbOrgId: 'org-1', wbProjectId: 'p-1', wbWorkstream: 'sales', wbClientId: 'client-1',
    });
  });

  it('leaves other activities\' logs as they are', async () => {
    expect(await logAttributesDuring([{ batchId: 'b' }])).toEqual({ activityType: 'wbHttpRequest', attempt: 1 });
    expect(isStepMeta(null)).toBe(false);
    expect(isStepMeta({ runId: 'r' })).toBe(false);
  });
});

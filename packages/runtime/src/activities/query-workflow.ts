import { Context } from '@temporalio/activity';
import type { QueryWorkflowInput, StepActivityMeta } from '../contract.ts';

/**
 * `wbQueryWorkflow`: asks a running workflow a query through the worker's client (a workflow
 * cannot query another workflow itself). Used by `query.parent` steps.
 */
export function createQueryWorkflowActivity() {
  return async (_meta: StepActivityMeta, input: QueryWorkflowInput): Promise<unknown> =>
    Context.current().client.workflow.getHandle(input.workflowId).query(input.queryName);
}

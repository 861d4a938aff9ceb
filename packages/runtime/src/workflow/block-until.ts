/**
 * `workflow.child` `blockUntil`: waits, inside the workflow sandbox, until every given condition
 * holds: the named nodes have completed, the named signal has arrived (not consumed), the
 * expression is true. Conditions are checked when the node is reached and again after each change
 * of the run (a step completing, a signal arriving).
 */
import { ApplicationFailure, condition } from '@temporalio/workflow';
import { evaluateTemplate, type ExpressionContext } from './expressions.ts';
import { isTruthy } from './json-values.ts';

export interface BlockUntil {
  nodes?: readonly string[];
  signal?: string;
  expression?: string;
  timeoutSeconds?: number;
}

/** What the wait reads of the run. */
export interface BlockHost {
  completed(nodeId: string): boolean;
  hasSignal(name: string): boolean;
  context(): ExpressionContext;
  /** A counter that moves whenever a step completes or a signal arrives. */
  changes(): number;
}

/** The conditions that do not hold yet (empty: the child may start). */
async function pending(block: BlockUntil, host: BlockHost, nodeId: string): Promise<string[]> {
  const open: string[] = [];
  for (const id of block.nodes ?? []) if (!host.completed(id)) open.push(`node ${id}`);
  if (block.signal !== undefined && !host.hasSignal(block.signal)) open.push(`signal ${block.signal}`);
  if (open.length === 0 && block.expression !== undefined) {
    const value = await evaluateTemplate(block.expression, host.context(), { nodeId, field: 'config.blockUntil.expression' });
    if (!isTruthy(value)) open.push('expression');
  }
  return open;
}

/**
 * Resolves once the conditions hold; returns how many times it had to wait (0: they held at once).
 *
 * @throws ApplicationFailure `WbBlockTimeout` (non-retryable) when `timeoutSeconds` pass first.
 */
export async function waitUntilUnblocked(block: BlockUntil, host: BlockHost, nodeId: string, onBlocked: (open: string[]) => Promise<void>): Promise<number> {
  // Date.now() is workflow time in the sandbox: deterministic on replay.
  const deadline = block.timeoutSeconds === undefined ? undefined : Date.now() + block.timeoutSeconds * 1000;
  for (let waits = 0; ; waits++) {
    const seen = host.changes();
    const open = await pending(block, host, nodeId);
    if (open.length === 0) return waits;
    if (waits === 0) await onBlocked(open);
    const changed = () => host.changes() !== seen;
    if (deadline === undefined) await condition(changed);
    else {
      const left = deadline - Date.now();
      if (left <= 0 || !(await condition(changed, left))) {
        throw ApplicationFailure.nonRetryable(`still waiting for ${open.join(', ')} after ${block.timeoutSeconds} s`, 'WbBlockTimeout');
      }
    }
  }
}

/**
 * Answers a declared query from its `returns` path (`state`, `input[.path]`,
 * `steps.<id>.output[.path]`, `queues.<name>`). Synchronous, as query handlers must be.
 */
import type { RunStateSnapshot } from '../contract.ts';
import { fieldAt, type WorkQueue } from './work-queue.ts';

/** What a query can read. */
export interface QuerySources {
  state(): RunStateSnapshot;
  input: unknown;
  /** Latest output per node id. */
  outputs: ReadonlyMap<string, unknown>;
  queues: ReadonlyMap<string, WorkQueue>;
}

/**
 * @example
 * answerQuery('steps.fetch.output.body', sources) // the latest fetch step's response body, or null
 */
export function answerQuery(returns: string, sources: QuerySources): unknown {
  const [root, ...rest] = returns.split('.');
  let value: unknown;
  if (root === 'input') value = rest.length === 0 ? sources.input : fieldAt(sources.input, rest.join('.'));
  else if (root === 'steps') {
    const [nodeId, , ...path] = rest;
    const output = nodeId === undefined ? undefined : sources.outputs.get(nodeId);
    value = path.length === 0 ? output : fieldAt(output, path.join('.'));
  } else if (root === 'queues') value = sources.queues.get(rest[0] ?? '')?.state();
  else value = sources.state();
  return value === undefined ? null : value;
}

import Type, { type Static } from 'typebox'
import type { NodeKindDescriptor } from '../node-kind.ts'

/** `flow.parallel` has no settings. */
export const flowParallelConfigSchema = Type.Object({}, { additionalProperties: false, title: 'Parallel' })
/** @see flowParallelConfigSchema */
export type FlowParallelConfig = Static<typeof flowParallelConfigSchema>

/**
 * Fan-out: every edge leaving the `out` handle starts a concurrent branch. All branches must meet
 * at one `flow.join`.
 */
export const flowParallelKind: NodeKindDescriptor<FlowParallelConfig> = {
  kind: 'flow.parallel',
  version: 1,
  label: 'Parallel',
  description: 'Runs every branch connected to its output at the same time; the branches meet again at a Join.',
  category: 'flow',
  componentType: 'activity',
  runsIn: 'workflow',
  configSchema: flowParallelConfigSchema,
  outputSchema: Type.Null(),
  inputs: 1,
  outputs: [{ id: 'out', label: 'Branches', required: true }],
  expressionFields: [],
  icon: 'git-fork',
}

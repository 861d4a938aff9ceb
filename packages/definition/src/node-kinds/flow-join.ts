import Type, { type Static } from 'typebox'
import type { NodeKindDescriptor } from '../node-kind.ts'

/** `flow.join` has no settings. */
export const flowJoinConfigSchema = Type.Object({}, { additionalProperties: false, title: 'Join' })
/** @see flowJoinConfigSchema */
export type FlowJoinConfig = Static<typeof flowJoinConfigSchema>

/** Waits for every branch of its `flow.parallel`. */
export const flowJoinKind: NodeKindDescriptor<FlowJoinConfig> = {
  kind: 'flow.join',
  version: 1,
  label: 'Join',
  description: 'Waits for all branches of the matching Parallel. Its output maps each incoming node id to that node’s output.',
  category: 'flow',
  componentType: 'activity',
  runsIn: 'workflow',
  configSchema: flowJoinConfigSchema,
  outputSchema: Type.Record(Type.String(), Type.Unknown(), {
    description: 'Keyed by the id of the last node of each branch (the source of each incoming edge).',
  }),
  inputs: 1,
  outputs: [{ id: 'out', label: 'Next' }],
  expressionFields: [],
  icon: 'merge',
}

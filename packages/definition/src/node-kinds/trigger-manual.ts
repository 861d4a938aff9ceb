import Type, { type Static } from 'typebox'
import type { NodeKindDescriptor } from '../node-kind.ts'

/** `trigger.manual` has no settings. */
export const triggerManualConfigSchema = Type.Object({}, { additionalProperties: false, title: 'Manual trigger' })
/** @see triggerManualConfigSchema */
export type TriggerManualConfig = Static<typeof triggerManualConfigSchema>

/** Starts a run on demand (editor "Run" button or the API); its output is the run input. */
export const triggerManualKind: NodeKindDescriptor<TriggerManualConfig> = {
  kind: 'trigger.manual',
  version: 1,
  label: 'Manual trigger',
  description: 'Starts a run from the editor or the API. Its output is the run input.',
  category: 'trigger',
  componentType: 'trigger',
  runsIn: 'workflow',
  configSchema: triggerManualConfigSchema,
  outputSchema: Type.Unknown({ description: 'The run input (same value as `input`).' }),
  inputs: 0,
  outputs: [{ id: 'out', label: 'Start' }],
  expressionFields: [],
  icon: 'play',
}

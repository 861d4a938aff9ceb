import Type, { type Static } from 'typebox'
import { DURATION_PATTERN, MAX_DURATION_MS, parseDuration } from '../duration.ts'
import type { ConfigIssue, NodeKindDescriptor } from '../node-kind.ts'

/** `flow.delay` settings. */
export const flowDelayConfigSchema = Type.Object(
  {
    duration: Type.String({
      pattern: DURATION_PATTERN,
      maxLength: 32,
      title: 'Duration',
      description: 'Days, hours, minutes and seconds, in that order: `30s`, `5m`, `1h30m`, `2d`. At most 366d.',
      examples: ['30s', '5m', '1h30m', '2d'],
    }),
  },
  { additionalProperties: false, title: 'Delay' },
)
/** @see flowDelayConfigSchema */
export type FlowDelayConfig = Static<typeof flowDelayConfigSchema>

function checkDelay(config: FlowDelayConfig): ConfigIssue[] {
  const ms = parseDuration(config.duration)
  if (ms === undefined) return []
  if (ms === 0) return [{ field: 'config.duration', code: 'invalid_config', message: 'must be longer than 0s' }]
  if (ms > MAX_DURATION_MS) return [{ field: 'config.duration', code: 'invalid_config', message: 'must be at most 366d' }]
  return []
}

/** Durable sleep (Temporal timer). */
export const flowDelayKind: NodeKindDescriptor<FlowDelayConfig> = {
  kind: 'flow.delay',
  version: 1,
  label: 'Delay',
  description: 'Waits for a fixed duration (a durable timer), then continues.',
  category: 'flow',
  componentType: 'activity',
  runsIn: 'workflow',
  configSchema: flowDelayConfigSchema,
  outputSchema: Type.Null(),
  inputs: 1,
  outputs: [{ id: 'out', label: 'Next' }],
  expressionFields: [],
  icon: 'timer',
  checkConfig: checkDelay,
}

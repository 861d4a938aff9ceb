import Type, { type Static } from 'typebox'
import { cronError, isValidTimezone } from '../cron.ts'
import type { ConfigIssue, NodeKindDescriptor } from '../node-kind.ts'

/** `trigger.schedule` settings: a five-field cron expression and the zone it is read in. */
export const triggerScheduleConfigSchema = Type.Object(
  {
    cron: Type.String({
      minLength: 1,
      maxLength: 200,
      title: 'Cron expression',
      description: 'Five fields: minute hour day-of-month month day-of-week, e.g. `0 9 * * mon-fri`.',
      examples: ['0 9 * * mon-fri', '*/15 * * * *'],
    }),
    timezone: Type.Optional(
      Type.String({ maxLength: 64, title: 'Time zone', description: 'IANA time zone name, e.g. `Europe/Paris`.', default: 'UTC' }),
    ),
  },
  { additionalProperties: false, title: 'Schedule trigger' },
)
/** @see triggerScheduleConfigSchema */
export type TriggerScheduleConfig = Static<typeof triggerScheduleConfigSchema>

function checkSchedule(config: TriggerScheduleConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  const timezone = config.timezone ?? 'UTC'
  const zoneOk = isValidTimezone(timezone)
  if (!zoneOk) {
    issues.push({ field: 'config.timezone', code: 'invalid_timezone', message: `unknown time zone "${timezone}"` })
  }
  const error = cronError(config.cron, zoneOk ? timezone : 'UTC')
  if (error !== undefined) issues.push({ field: 'config.cron', code: 'invalid_cron', message: error })
  return issues
}

/** Starts runs on a cron schedule (a Temporal Schedule created when the workflow is published). */
export const triggerScheduleKind: NodeKindDescriptor<TriggerScheduleConfig> = {
  kind: 'trigger.schedule',
  version: 1,
  label: 'Schedule',
  description: 'Starts a run on a cron schedule. Its output is the run input (the schedule passes none by default).',
  category: 'trigger',
  componentType: 'trigger',
  runsIn: 'workflow',
  configSchema: triggerScheduleConfigSchema,
  outputSchema: Type.Unknown({ description: 'The run input (same value as `input`).' }),
  inputs: 0,
  outputs: [{ id: 'out', label: 'Tick' }],
  expressionFields: [],
  icon: 'clock',
  checkConfig: checkSchedule,
}

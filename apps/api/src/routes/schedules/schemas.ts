import { Type } from 'typebox';
import { Nullable, Timestamp, Uuid } from '../../schemas/common.ts';

export const ScheduleParams = Type.Object({ orgId: Uuid, workflowId: Uuid, scheduleId: Uuid });

const Cron = Type.String({
  minLength: 1, maxLength: 100,
  description: 'Five fields: minute hour day-of-month month day-of-week, e.g. `0 9 * * mon-fri`',
});
const Timezone = Type.String({ minLength: 1, maxLength: 50, description: 'IANA time zone the cron expression is read in, e.g. `Europe/Paris`' });
const MaxRuns = Nullable(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Stop after this many scheduled runs; null: unlimited' }));

export const CreateScheduleBody = Type.Object({
  cron: Cron,
  timezone: Type.Optional({ ...Timezone, default: 'UTC' }),
  startImmediately: Type.Optional(Type.Boolean({ default: false, description: 'Start one run as the schedule is created' })),
  maxRuns: Type.Optional(MaxRuns),
  paused: Type.Optional(Type.Boolean({ default: false })),
}, { additionalProperties: false });

export const UpdateScheduleBody = Type.Object({
  cron: Type.Optional(Cron),
  timezone: Type.Optional(Timezone),
  startImmediately: Type.Optional(Type.Boolean({ description: 'Recorded; applies when Temporal has to recreate the schedule' })),
  maxRuns: Type.Optional(MaxRuns),
  paused: Type.Optional(Type.Boolean()),
}, { additionalProperties: false, minProperties: 1 });

export const Schedule = Type.Object({
  id: Uuid,
  workflowId: Uuid,
  temporalScheduleId: Type.String(),
  source: Type.Enum(['trigger', 'api'], { description: 'trigger: mirrors the deployed trigger.schedule node (cron and time zone come from it); api: added here' }),
  triggerNodeId: Nullable(Type.String()),
  cron: Type.String(),
  timezone: Type.String(),
  startImmediately: Type.Boolean(),
  maxRuns: Nullable(Type.Integer()),
  paused: Type.Boolean({ description: 'Paused by a user' }),
  firing: Type.Boolean({ description: 'Whether it can fire: not paused, workflow active and deployed' }),
  remainingRuns: Nullable(Type.Integer({ description: 'Runs left before it stops (Temporal remainingActions); null: unlimited' })),
  nextFireTimes: Type.Array(Timestamp, { description: 'Up to 5 next fire times' }),
  nextFireTimesSource: Type.Enum(['temporal', 'computed'], { description: 'temporal: Temporal describe; computed: from the cron expression (Temporal unreachable or the schedule cannot fire)' }),
  recentActions: Type.Array(Type.Object({ scheduledAt: Timestamp, takenAt: Timestamp, workflowId: Nullable(Type.String()) })),
  lastError: Nullable(Type.String({ description: 'Why Temporal last refused the schedule' })),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const ScheduleList = Type.Object({ items: Type.Array(Schedule) });

export const ScheduleTriggered = Type.Object({
  scheduleId: Uuid,
  triggeredAt: Timestamp,
}, { description: 'Temporal accepted the trigger; the run is recorded with channel schedule once it starts' });

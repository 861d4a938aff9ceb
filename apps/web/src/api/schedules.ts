/**
 * Schedule endpoints (`/v1/orgs/:orgId/workflows/:workflowId/schedules`), shapes as in
 * `apps/api/src/routes/schedules/schemas.ts`. Kept beside `client.ts` so the schedules panel owns them.
 */
import { request } from './http.ts'

const enc = encodeURIComponent

export interface Schedule {
  id: string
  workflowId: string
  temporalScheduleId: string
  /** `trigger`: the deployed trigger.schedule node's (cron and time zone come from the node); `api`: added here. */
  source: 'trigger' | 'api'
  triggerNodeId: string | null
  cron: string
  timezone: string
  startImmediately: boolean
  maxRuns: number | null
  /** Paused by a user. */
  paused: boolean
  /** Can fire: not paused, the workflow active and deployed. */
  firing: boolean
  remainingRuns: number | null
  nextFireTimes: string[]
  nextFireTimesSource: 'temporal' | 'computed'
  recentActions: Array<{ scheduledAt: string; takenAt: string; workflowId: string | null }>
  lastError: string | null
  createdAt: string
  updatedAt: string
}

export interface ScheduleBody {
  cron: string
  timezone: string
  startImmediately?: boolean
  maxRuns: number | null
  paused?: boolean
}

const base = (orgId: string, workflowId: string) => `/orgs/${enc(orgId)}/workflows/${enc(workflowId)}/schedules`

export const listSchedules = (orgId: string, workflowId: string, signal?: AbortSignal) =>
  request<{ items: Schedule[] }>('GET', base(orgId, workflowId), { signal })

export const createSchedule = (orgId: string, workflowId: string, body: ScheduleBody) =>
  request<Schedule>('POST', base(orgId, workflowId), { body })

export const updateSchedule = (orgId: string, workflowId: string, scheduleId: string, body: Partial<ScheduleBody>) =>
  request<Schedule>('PATCH', `${base(orgId, workflowId)}/${enc(scheduleId)}`, { body })

export const pauseSchedule = (orgId: string, workflowId: string, scheduleId: string, paused: boolean) =>
  request<Schedule>('POST', `${base(orgId, workflowId)}/${enc(scheduleId)}/${paused ? 'pause' : 'unpause'}`, { body: {} })

export const triggerSchedule = (orgId: string, workflowId: string, scheduleId: string) =>
  request<{ scheduleId: string; triggeredAt: string }>('POST', `${base(orgId, workflowId)}/${enc(scheduleId)}/trigger`, { body: {} })

export const deleteSchedule = (orgId: string, workflowId: string, scheduleId: string) =>
  request<void>('DELETE', `${base(orgId, workflowId)}/${enc(scheduleId)}`)

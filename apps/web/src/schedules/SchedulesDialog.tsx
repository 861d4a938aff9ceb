import { useCallback, useEffect, useId, useMemo, useState } from 'react'
import { isApiError } from '../api/http.ts'
import {
  createSchedule, deleteSchedule, listSchedules, pauseSchedule, triggerSchedule, updateSchedule, type Schedule,
} from '../api/schedules.ts'
import { ConfirmDialog } from '../ui/ConfirmDialog.tsx'
import { Dialog } from '../ui/Dialog.tsx'
import { EmptyState, ErrorState, InlineError, Loading } from '../ui/states.tsx'
import { checkScheduleForm, formatInZone, timeZoneNames, userTimeZone, type ScheduleFormValues } from './schedule-form.ts'

/**
 * The Schedules panel of a workflow: its Temporal Schedules with their next fire times (in the
 * viewer's zone and the schedule's), paused state, remaining runs and last error; add/edit with a
 * live-validated cron expression and a preview; pause/resume, trigger now and delete.
 */
export function SchedulesDialog({ orgId, workflowId, canWrite, deployed, onClose }: {
  orgId: string
  workflowId: string
  canWrite: boolean
  /** Whether a version is deployed (new schedules need one). */
  deployed: boolean
  onClose: () => void
}) {
  const [schedules, setSchedules] = useState<Schedule[] | undefined>(undefined)
  const [loadError, setLoadError] = useState<unknown>(undefined)
  const [actionError, setActionError] = useState<unknown>(undefined)
  const [editing, setEditing] = useState<Schedule | 'new' | undefined>(undefined)
  const [deleting, setDeleting] = useState<Schedule | undefined>(undefined)
  const [notice, setNotice] = useState<string | undefined>(undefined)

  const load = useCallback(async () => {
    try {
      setSchedules((await listSchedules(orgId, workflowId)).items)
      setLoadError(undefined)
    } catch (error) {
      setLoadError(error)
    }
  }, [orgId, workflowId])
  useEffect(() => void load(), [load])

  const act = async (fn: () => Promise<unknown>, done?: string) => {
    setActionError(undefined)
    setNotice(undefined)
    try {
      await fn()
      if (done !== undefined) setNotice(done)
      await load()
    } catch (error) {
      setActionError(error)
    }
  }

  return (
    <Dialog open title="Schedules" onClose={onClose} wide>
      {loadError !== undefined && <ErrorState error={loadError} onRetry={() => void load()} title="Could not load the schedules" />}
      {schedules === undefined && loadError === undefined && <Loading />}
      {schedules !== undefined && schedules.length === 0 && (
        <EmptyState title="No schedules">
          {deployed ? 'Add one to start runs on a cron schedule, or add a Schedule trigger to the workflow and deploy.' : 'Deploy the workflow first, then add a schedule.'}
        </EmptyState>
      )}
      <InlineError error={actionError} />
      {notice !== undefined && <p role="status" className="muted">{notice}</p>}
      {schedules !== undefined && schedules.length > 0 && (
        <ul className="schedule-list" aria-label="Schedules">
          {schedules.map((s) => (
            <ScheduleItem
              key={s.id}
              schedule={s}
              canWrite={canWrite}
              onEdit={() => setEditing(s)}
              onPause={() => void act(() => pauseSchedule(orgId, workflowId, s.id, !s.paused))}
              onTrigger={() => void act(() => triggerSchedule(orgId, workflowId, s.id), 'Run started through the schedule.')}
              onDelete={() => setDeleting(s)}
            />
          ))}
        </ul>
      )}
      {canWrite && (
        <div className="dialog-footer">
          <button type="button" onClick={onClose}>Close</button>
          <button type="button" className="primary" onClick={() => setEditing('new')} disabled={!deployed} title={deployed ? undefined : 'Deploy the workflow first'}>
            Add schedule
          </button>
        </div>
      )}
      {editing !== undefined && (
        <ScheduleFormDialog
          schedule={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(undefined)}
          onSave={async (body) => {
            if (editing === 'new') await createSchedule(orgId, workflowId, body)
            else {
              const { startImmediately: _ignored, ...patch } = body
              await updateSchedule(orgId, workflowId, editing.id, editing.source === 'trigger' ? { maxRuns: patch.maxRuns } : patch)
            }
            setEditing(undefined)
            await load()
          }}
        />
      )}
      <ConfirmDialog
        open={deleting !== undefined}
        title="Delete schedule"
        confirmLabel="Delete schedule"
        danger
        onClose={() => setDeleting(undefined)}
        onConfirm={async () => {
          await deleteSchedule(orgId, workflowId, deleting!.id)
          setDeleting(undefined)
          await load()
        }}
      >
        <p>Delete the schedule <code>{deleting?.cron}</code> ({deleting?.timezone})? Runs it already started are not affected.</p>
      </ConfirmDialog>
    </Dialog>
  )
}

function ScheduleItem({ schedule: s, canWrite, onEdit, onPause, onTrigger, onDelete }: {
  schedule: Schedule
  canWrite: boolean
  onEdit: () => void
  onPause: () => void
  onTrigger: () => void
  onDelete: () => void
}) {
  const mine = userTimeZone()
  const state = s.paused ? 'paused' : s.firing ? 'active' : 'not firing'
  return (
    <li className="schedule-item" data-testid={`schedule-${s.id}`} data-state={state} aria-label={`Schedule ${s.cron}`}>
      <div className="schedule-head">
        <code className="schedule-cron">{s.cron}</code>
        <span className="muted">{s.timezone}</span>
        <span className={`pill pill-${s.paused ? 'paused' : s.firing ? 'active' : 'draft'}`} data-testid="schedule-state">{state}</span>
        <span className="muted">{s.source === 'trigger' ? `from the trigger node “${s.triggerNodeId}”` : 'added here'}</span>
        <span className="spacer" />
        {canWrite && (
          <>
            <button type="button" className="small" onClick={onPause}>{s.paused ? 'Resume' : 'Pause'}</button>
            <button type="button" className="small" onClick={onTrigger} disabled={!s.firing && !s.paused} title="Start one run now">Trigger now</button>
            <button type="button" className="small" onClick={onEdit}>Edit</button>
            {s.source === 'api' && <button type="button" className="small danger" onClick={onDelete}>Delete</button>}
          </>
        )}
      </div>
      <p className="muted">
        Remaining runs: <span data-testid="schedule-remaining">{s.remainingRuns === null ? (s.maxRuns === null ? 'unlimited' : '—') : s.remainingRuns}</span>
        {s.maxRuns !== null && ` of ${s.maxRuns}`}
        {s.recentActions.length > 0 && ` · last fired ${formatInZone(s.recentActions[0]!.takenAt, mine)}`}
      </p>
      {!s.firing && !s.paused && <p className="muted">Not firing: the workflow is paused or not deployed.</p>}
      {s.lastError !== null && <p className="error-text" role="alert">Temporal refused this schedule: {s.lastError}</p>}
      <table className="table compact" aria-label="Next fire times">
        <caption className="muted">
          Next fire times {s.nextFireTimesSource === 'temporal' ? '(from Temporal)' : '(computed from the cron expression)'}
        </caption>
        <thead>
          <tr><th>Your time ({mine})</th><th>Schedule time ({s.timezone})</th></tr>
        </thead>
        <tbody>
          {s.nextFireTimes.map((t) => (
            <tr key={t} data-testid="next-fire-time">
              <td>{formatInZone(t, mine)}</td>
              <td>{formatInZone(t, s.timezone)}</td>
            </tr>
          ))}
          {s.nextFireTimes.length === 0 && <tr><td colSpan={2}>None (no runs left)</td></tr>}
        </tbody>
      </table>
    </li>
  )
}

function ScheduleFormDialog({ schedule, onSave, onClose }: {
  schedule: Schedule | undefined
  onSave: (body: { cron: string; timezone: string; startImmediately?: boolean; maxRuns: number | null }) => Promise<void>
  onClose: () => void
}) {
  const fromTrigger = schedule?.source === 'trigger'
  const [values, setValues] = useState<ScheduleFormValues>({
    cron: schedule?.cron ?? '0 9 * * mon-fri',
    timezone: schedule?.timezone ?? userTimeZone(),
    startImmediately: false,
    maxRuns: schedule?.maxRuns === null || schedule?.maxRuns === undefined ? '' : String(schedule.maxRuns),
  })
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(undefined)
  const check = useMemo(() => checkScheduleForm(values), [values])
  const zones = useMemo(() => timeZoneNames(), [])
  const ids = { cron: useId(), timezone: useId(), maxRuns: useId(), zones: useId() }
  const serverError = (field: string) => (isApiError(error) ? error.errors.find((e) => e.field === `/${field}`)?.message : undefined)
  const fieldError = (field: 'cron' | 'timezone' | 'maxRuns') => check.errors[field] ?? serverError(field)
  const set = (patch: Partial<ScheduleFormValues>) => {
    setValues((v) => ({ ...v, ...patch }))
    setError(undefined)
  }

  return (
    <Dialog open title={schedule === undefined ? 'Add schedule' : 'Edit schedule'} onClose={onClose}>
      <form
        className="form"
        onSubmit={async (event) => {
          event.preventDefault()
          if (check.body === undefined) return
          setBusy(true)
          try {
            await onSave(check.body)
          } catch (reason) {
            setError(reason)
            setBusy(false)
          }
        }}
      >
        {fromTrigger && <p className="muted">The cron expression and time zone come from the Schedule trigger node: change them in the editor and deploy.</p>}
        <label htmlFor={ids.cron}>Cron expression</label>
        <input
          id={ids.cron}
          value={values.cron}
          onChange={(e) => set({ cron: e.target.value })}
          disabled={fromTrigger}
          aria-invalid={fieldError('cron') !== undefined}
          aria-describedby={`${ids.cron}-help`}
          spellCheck={false}
        />
        <small id={`${ids.cron}-help`} className={fieldError('cron') !== undefined ? 'error-text' : 'muted'} data-testid="cron-feedback">
          {fieldError('cron') ?? 'minute hour day-of-month month day-of-week, e.g. 0 9 * * mon-fri'}
        </small>
        <label htmlFor={ids.timezone}>Time zone</label>
        <input
          id={ids.timezone}
          list={ids.zones}
          value={values.timezone}
          onChange={(e) => set({ timezone: e.target.value })}
          disabled={fromTrigger}
          aria-invalid={fieldError('timezone') !== undefined}
        />
        <datalist id={ids.zones}>{zones.map((z) => <option key={z} value={z} />)}</datalist>
        {fieldError('timezone') !== undefined && <small className="error-text">{fieldError('timezone')}</small>}
        <label htmlFor={ids.maxRuns}>Max runs (empty: unlimited)</label>
        <input id={ids.maxRuns} inputMode="numeric" value={values.maxRuns} onChange={(e) => set({ maxRuns: e.target.value })} aria-invalid={fieldError('maxRuns') !== undefined} />
        {fieldError('maxRuns') !== undefined && <small className="error-text">{fieldError('maxRuns')}</small>}
        {schedule === undefined && (
          <label className="checkbox">
            <input type="checkbox" checked={values.startImmediately} onChange={(e) => set({ startImmediately: e.target.checked })} /> Start one run now
          </label>
        )}
        <section aria-label="Preview">
          <h3>Next fire times</h3>
          {check.preview.length === 0 ? (
            <p className="muted">Fix the expression to see when it fires.</p>
          ) : (
            <ol data-testid="schedule-preview">
              {check.preview.map((d) => (
                <li key={d.toISOString()}>
                  {formatInZone(d, values.timezone.trim())}
                  {values.timezone.trim() !== userTimeZone() && <span className="muted"> · {formatInZone(d, userTimeZone())}</span>}
                </li>
              ))}
            </ol>
          )}
        </section>
        <InlineError error={error} />
        <div className="dialog-footer">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={busy || check.body === undefined}>{busy ? 'Saving…' : 'Save schedule'}</button>
        </div>
      </form>
    </Dialog>
  )
}

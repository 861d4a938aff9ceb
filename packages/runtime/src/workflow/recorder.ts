/**
 * Step bookkeeping inside the workflow: deterministic step numbers, `StepRecord`s, best-effort
 * progress through the sink, and the authoritative record through the `wbRecordRun` local
 * activity (only the steps changed since the previous batch are sent).
 */
import { proxyLocalActivities, proxySinks } from '@temporalio/workflow';
import {
  ACTIVITY_NAMES,
  PROGRESS_SINK,
  type ProgressSinks,
  type RunContextInfo,
  type RunRecordBatch,
  type RunStateSnapshot,
  type RunStatus,
  type StepActivities,
  type StepErrorInfo,
  type StepEvent,
  type StepRecord,
} from '../contract.ts';
import { recentFinishedSteps } from './carried-steps.ts';

/** Workflow time as an ISO string (deterministic inside the sandbox). */
export function nowIso(): string {
  return new Date().toISOString();
}

const { [ACTIVITY_NAMES.recordRun]: recordRun } = proxyLocalActivities<Pick<StepActivities, 'wbRecordRun'>>({
  startToCloseTimeout: '30s',
  scheduleToCloseTimeout: '10m',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
});

const sinks = proxySinks<ProgressSinks>();

function snapshot(step: StepRecord): StepRecord {
  return { ...step, events: [...step.events] };
}

/** Owns every `StepRecord` of a run. */
export class StepRecorder {
  private readonly steps: StepRecord[] = [];
  private readonly dirty = new Set<StepRecord>();
  private nextStepNumber = 1;
  private firstBatch = true;
  private runStatusSent: RunStatus | undefined;
  /** Batches are sent one after the other, in order, even from concurrent branches. */
  private chain: Promise<void> = Promise.resolve();
  readonly startedAt: string;
  status: RunStatus = 'running';
  output: unknown = undefined;
  error: StepErrorInfo | null = null;

  constructor(
    private readonly run: RunContextInfo,
    private readonly configSnapshot: unknown,
    /**
     * After continue-as-new: keep numbering steps from here, the run's original start time, and
     * the finished steps carried over (listed by `wbState`, not sent again).
     */
    resume?: { nextStepNumber: number; startedAt: string; finished?: StepRecord[] },
  ) {
    this.startedAt = resume?.startedAt ?? nowIso();
    if (resume !== undefined) this.nextStepNumber = resume.nextStepNumber;
    for (const step of resume?.finished ?? []) this.steps.push(snapshot(step));
  }

  /** Finished steps to carry over continue-as-new (the most recent, bounded). */
  carriedSteps(): StepRecord[] {
    return recentFinishedSteps(this.steps).map(snapshot);
  }

  /** The number the next step will get (carried over continue-as-new). */
  get nextNumber(): number {
    return this.nextStepNumber;
  }

  /** Takes over a step opened before continue-as-new, keeping its number. */
  adopt(step: StepRecord): StepRecord {
    const adopted = { ...step, events: [...step.events] };
    this.steps.push(adopted);
    return adopted;
  }

  private get enabled(): boolean {
    return this.run.recordSteps;
  }

  /** Opens a step in `running` state with the next step number. */
  start(nodeId: string, nodeKind: string, iterationKey: string | null): StepRecord {
    const step: StepRecord = {
      stepNumber: this.nextStepNumber++,
      nodeId,
      nodeKind,
      iterationKey,
      status: 'running',
      retryCount: 0,
      startedAt: nowIso(),
      endedAt: null,
      events: [],
      error: null,
    };
    this.steps.push(step);
    this.changed(step);
    return step;
  }

  /** Marks a step as changed: it goes into the next batch and to the progress sink. */
  changed(step: StepRecord): void {
    if (!this.enabled) return;
    this.dirty.add(step);
    sinks[PROGRESS_SINK].report({ run: this.run, status: this.status, startedAt: this.startedAt, steps: [snapshot(step)] });
  }

  event(step: StepRecord, type: string, data?: unknown): void {
    const event: StepEvent = data === undefined ? { type, timestamp: nowIso() } : { type, timestamp: nowIso(), data };
    step.events.push(event);
  }

  finish(step: StepRecord, status: StepRecord['status'], fields: Partial<Pick<StepRecord, 'output' | 'error' | 'retryCount'>> = {}): void {
    step.status = status;
    step.endedAt = nowIso();
    if ('output' in fields) step.output = fields.output;
    if (fields.error !== undefined) step.error = fields.error;
    if (fields.retryCount !== undefined) step.retryCount = fields.retryCount;
    this.changed(step);
  }

  /** Steps still running when the run ends are closed as cancelled (abandoned branches). */
  closeOpenSteps(reason: string): void {
    for (const step of this.steps) {
      if (step.status !== 'running' && step.status !== 'pending') continue;
      this.event(step, 'abandoned', { reason });
      this.finish(step, 'cancelled');
    }
  }

  /** What the `wbState` query returns. */
  state(): RunStateSnapshot {
    // Carried steps come first, then the adopted consumer step: list them all in step order.
    const steps = this.steps.map(snapshot).sort((a, b) => a.stepNumber - b.stepNumber);
    return { status: this.status, steps, output: this.output, error: this.error };
  }

  /**
   * Sends the changed steps (and the run status) through the `wbRecordRun` local activity.
   * Called before the workflow blocks on a timer, a signal or a child, and at the end.
   */
  flush(): Promise<void> {
    if (!this.enabled) return Promise.resolve();
    const final = this.status !== 'running';
    if (this.dirty.size === 0 && this.runStatusSent === this.status && !final) return this.chain;
    const steps = [...this.dirty].sort((a, b) => a.stepNumber - b.stepNumber).map(snapshot);
    this.dirty.clear();
    const batch: RunRecordBatch = {
      run: this.run,
      status: this.status,
      startedAt: this.startedAt,
      endedAt: final ? nowIso() : null,
      steps,
    };
    if (final) {
      batch.output = this.output ?? null;
      batch.error = this.error;
    }
    if (this.firstBatch) {
      batch.configSnapshot = this.configSnapshot ?? null;
      this.firstBatch = false;
    }
    if (this.runStatusSent !== this.status) {
      sinks[PROGRESS_SINK].report({ run: this.run, status: this.status, startedAt: this.startedAt, endedAt: batch.endedAt ?? null, steps: [] });
    }
    this.runStatusSent = this.status;
    this.chain = this.chain.then(() => recordRun(batch));
    return this.chain;
  }
}

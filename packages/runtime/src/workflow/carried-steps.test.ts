import { describe, expect, it } from 'vitest';
import { MAX_CARRIED_STEPS, type StepRecord } from '../contract.ts';
import { recentFinishedSteps } from './carried-steps.ts';

const step = (stepNumber: number, status: StepRecord['status'] = 'succeeded'): StepRecord => ({
  stepNumber, nodeId: `n${stepNumber}`, nodeKind: 'transform', iterationKey: null, status, retryCount: 0,
  startedAt: '2026-11-24T00:00:00.000Z', endedAt: status === 'running' ? null : '2026-11-24T00:00:01.000Z', events: [], error: null,
});

describe('recentFinishedSteps', () => {
  it('keeps finished steps only, in step order', () => {
    const steps = [step(3), step(1), step(2, 'running'), step(4, 'failed'), step(5, 'pending'), step(6, 'cached')];
    expect(recentFinishedSteps(steps).map((s) => s.stepNumber)).toEqual([1, 3, 4, 6]);
  });

  it('keeps at most MAX_CARRIED_STEPS, the most recent ones', () => {
    const steps = Array.from({ length: MAX_CARRIED_STEPS + 7 }, (_, i) => step(i + 1));
    const kept = recentFinishedSteps(steps);
    expect(kept).toHaveLength(MAX_CARRIED_STEPS);
    expect(kept[0]!.stepNumber).toBe(8);
    expect(kept.at(-1)!.stepNumber).toBe(MAX_CARRIED_STEPS + 7);
    expect(recentFinishedSteps(steps, 2).map((s) => s.stepNumber)).toEqual([MAX_CARRIED_STEPS + 6, MAX_CARRIED_STEPS + 7]);
    expect(recentFinishedSteps(steps, 0)).toEqual([]);
  });
});

/**
 * Which finished steps a run carries over continue-as-new so its `wbState` query still lists
 * them: the most recent ones, bounded, because the carried state is part of the new run's input
 * (and of every history event that holds it).
 */
import { MAX_CARRIED_STEPS, type StepRecord } from '../contract.ts';

/** Finished steps (not running or pending), at most `limit`, the highest step numbers, in step order. */
export function recentFinishedSteps(steps: readonly StepRecord[], limit: number = MAX_CARRIED_STEPS): StepRecord[] {
  const finished = steps.filter((step) => step.status !== 'running' && step.status !== 'pending');
  finished.sort((a, b) => a.stepNumber - b.stepNumber);
  return limit <= 0 ? [] : finished.slice(-limit);
}

/**
 * The hand-written baseline: the same two workflows written directly on the Temporal SDK, the
 * way a developer would without the platform (one module-level activity proxy, no recording).
 * Bundled by bench/engine.ts and run by its own Worker on its own task queue.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { BaselineActivities } from './lib/baseline-activities.ts';

// Same timeout and retry policy as the platform compiles for an http.request node with defaults.
const { noopHttp } = proxyActivities<BaselineActivities>({
  startToCloseTimeout: 60_000,
  retry: { maximumAttempts: 3, initialInterval: 1_000, backoffCoefficient: 2, maximumInterval: 30_000 },
});

export async function baselineSequential(url: string, steps: number): Promise<{ result: string; last: number }> {
  let last = 0;
  for (let i = 0; i < steps; i++) last = (await noopHttp(url)).status;
  return { result: 'done', last };
}

export async function baselineParallel(url: string, width: number): Promise<{ result: string; statuses: number[] }> {
  const results = await Promise.all(Array.from({ length: width }, () => noopHttp(url)));
  return { result: 'done', statuses: results.map((r) => r.status) };
}

import { describe, expect, it } from 'vitest'
import type { WorkflowSummary } from '../api/client.ts'
import { sortWorkflows } from './WorkflowsPage.tsx'

const wf = (id: string, lastUsed: string | null, executionCount: number) => ({ id, lastUsed, executionCount }) as WorkflowSummary

describe('sortWorkflows', () => {
  const list = [wf('a', null, 5), wf('b', '2026-11-02T00:00:00.000Z', 1), wf('c', '2026-11-03T00:00:00.000Z', 9)]
  it('keeps the API order (newest first) by default', () => expect(sortWorkflows(list, 'created').map((w) => w.id)).toEqual(['a', 'b', 'c']))
  it('sorts by last use, never-used last', () => expect(sortWorkflows(list, 'lastUsed').map((w) => w.id)).toEqual(['c', 'b', 'a']))
  it('sorts by run count', () => expect(sortWorkflows(list, 'runs').map((w) => w.id)).toEqual(['c', 'a', 'b']))
})

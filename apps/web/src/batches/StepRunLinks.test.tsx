// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, render, screen } from '@testing-library/react'
import { MemoryRouter } from 'react-router'
import { StepRunLinks } from './StepRunLinks.tsx'

afterEach(cleanup)

const show = (runId: string | null, runIds: string[]) =>
  render(
    <MemoryRouter>
      <StepRunLinks orgId="o1" itemLabel="2" step="enrich" runId={runId} runIds={runIds} />
    </MemoryRouter>,
  )

describe('StepRunLinks', () => {
  it('links the only run of a step', () => {
    show('r1', ['r1'])
    expect(screen.getByRole('link', { name: 'Open run of item 2 step enrich' }).getAttribute('href')).toBe('/orgs/o1/runs/r1')
    expect(screen.queryByRole('link', { name: /^Run 1 of/ })).toBeNull()
  })

  it('links every run of a retried step, oldest first, and the latest as the run', () => {
    show('r3', ['r1', 'r2', 'r3'])
    expect(screen.getByRole('link', { name: 'Open run of item 2 step enrich' }).getAttribute('href')).toBe('/orgs/o1/runs/r3')
    expect(screen.getAllByRole('link', { name: /^Run \d of item 2 step enrich$/ }).map((a) => a.getAttribute('href'))).toEqual([
      '/orgs/o1/runs/r1', '/orgs/o1/runs/r2', '/orgs/o1/runs/r3',
    ])
  })

  it('renders nothing for a step without runs (async steps)', () => {
    const { container } = show(null, [])
    expect(container.innerHTML).toBe('')
  })
})

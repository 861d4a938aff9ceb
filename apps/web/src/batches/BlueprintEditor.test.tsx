// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { useState } from 'react'
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import { BlueprintEditor } from './BlueprintEditor.tsx'

afterEach(cleanup)

const steps = [
  { slug: 'normalize', name: 'Normalize' },
  { slug: 'score', name: 'Score' },
  { slug: 'enrich', name: 'Enrich' },
]

let latest: string[] = []
function Harness({ initial = [] as string[], errors = [] as string[] }) {
  const [value, setValue] = useState<string[]>(initial)
  latest = value
  return <BlueprintEditor steps={steps} value={value} onChange={setValue} errors={errors} />
}

const order = () => within(screen.getByRole('list', { name: 'Blueprint steps' })).getAllByRole('listitem').map((li) => li.querySelector('code')!.textContent)

describe('BlueprintEditor', () => {
  it('adds the registered steps in the order chosen, each once', () => {
    render(<Harness />)
    const select = screen.getByLabelText('Step to add')
    fireEvent.change(select, { target: { value: 'score' } })
    fireEvent.click(screen.getByRole('button', { name: 'Add step' }))
    fireEvent.click(screen.getByRole('button', { name: 'Add step' }))
    expect(order()).toEqual(['score', 'normalize'])
    // Only the step not yet added is offered.
    expect(within(select as HTMLElement).getAllByRole('option').map((o) => (o as HTMLOptionElement).value)).toEqual(['enrich'])
    fireEvent.click(screen.getByRole('button', { name: 'Add step' }))
    expect(latest).toEqual(['score', 'normalize', 'enrich'])
    expect((screen.getByRole('button', { name: 'Add step' }) as HTMLButtonElement).disabled).toBe(true)
  })

  it('reorders and removes', () => {
    render(<Harness initial={['normalize', 'score', 'enrich']} />)
    fireEvent.click(screen.getByRole('button', { name: 'Move enrich up' }))
    expect(order()).toEqual(['normalize', 'enrich', 'score'])
    fireEvent.click(screen.getByRole('button', { name: 'Move normalize down' }))
    expect(order()).toEqual(['enrich', 'normalize', 'score'])
    expect((screen.getByRole('button', { name: 'Move enrich up' }) as HTMLButtonElement).disabled).toBe(true)
    expect((screen.getByRole('button', { name: 'Move score down' }) as HTMLButtonElement).disabled).toBe(true)
    fireEvent.click(screen.getByRole('button', { name: 'Remove normalize' }))
    expect(latest).toEqual(['enrich', 'score'])
  })

  it('shows the API errors about the blueprint', () => {
    render(<Harness initial={['score']} errors={['step 1: no step score is registered in workstream ws']} />)
    expect(screen.getByRole('alert').textContent).toContain('step 1: no step score is registered')
  })
})

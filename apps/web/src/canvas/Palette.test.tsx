// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { nodeKinds } from '@workflow-builder/definition'
import { KIND_DRAG_TYPE, Palette } from './Palette.tsx'
import type { PaletteEntry } from './palette.ts'

afterEach(cleanup)

const entries: PaletteEntry[] = nodeKinds.map((k) => ({ kind: k.kind, label: k.label, description: k.description, category: k.category, icon: k.icon }))

describe('Palette', () => {
  it('lists kinds as buttons named by label, grouped by category', () => {
    render(<Palette entries={entries} onAdd={() => undefined} />)
    for (const kind of nodeKinds) expect(screen.getByRole('button', { name: kind.label })).toBeTruthy()
    expect(screen.getByRole('region', { name: 'Triggers' })).toBeTruthy()
  })

  it('adds on click and on Enter', () => {
    const onAdd = vi.fn()
    render(<Palette entries={entries} onAdd={onAdd} />)
    fireEvent.click(screen.getByRole('button', { name: 'HTTP request' }))
    fireEvent.keyDown(screen.getByRole('button', { name: 'If' }), { key: 'Enter' })
    expect(onAdd.mock.calls).toEqual([['http.request'], ['branch.if']])
  })

  it('filters by search and says when nothing matches', () => {
    render(<Palette entries={entries} onAdd={() => undefined} />)
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search nodes' }), { target: { value: 'signal' } })
    expect(screen.getAllByRole('button').map((b) => b.getAttribute('aria-label'))).toEqual(['Signal parent', 'Wait for signal'])
    fireEvent.change(screen.getByRole('searchbox', { name: 'Search nodes' }), { target: { value: 'zzz' } })
    expect(screen.getByText(/No node matches/)).toBeTruthy()
  })

  it('puts the kind on the drag payload', () => {
    render(<Palette entries={entries} onAdd={() => undefined} />)
    const data = new Map<string, string>()
    const dataTransfer = { setData: (type: string, value: string) => data.set(type, value), effectAllowed: '' }
    fireEvent.dragStart(screen.getByRole('button', { name: 'Delay' }), { dataTransfer })
    expect(data.get(KIND_DRAG_TYPE)).toBe('flow.delay')
  })
})

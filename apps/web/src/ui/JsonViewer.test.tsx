// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { cleanup, render, screen } from '@testing-library/react'
import { JsonViewer } from './JsonViewer.tsx'

afterEach(cleanup)

describe('JsonViewer', () => {
  it('renders values as text, never as HTML', () => {
    const { container } = render(<JsonViewer label="Output" value={{ html: '<img src=x onerror=alert(1)>', n: 1, list: [true, null] }} />)
    expect(container.querySelector('img')).toBeNull()
    expect(screen.getByText('"<img src=x onerror=alert(1)>"')).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Copy output' })).toBeTruthy()
    expect(screen.getByRole('region', { name: 'Output' })).toBeTruthy()
  })

  it('says None for missing values', () => {
    render(<JsonViewer label="Input" value={undefined} />)
    expect(screen.getByText('None')).toBeTruthy()
    expect(screen.queryByRole('button')).toBeNull()
  })
})

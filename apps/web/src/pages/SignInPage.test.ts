import { describe, expect, it } from 'vitest'
import { safeNext } from './SignInPage.tsx'

describe('safeNext', () => {
  it('follows same-site paths only', () => {
    expect(safeNext('/orgs/1/runs?status=failed')).toBe('/orgs/1/runs?status=failed')
    expect(safeNext(null)).toBe('/')
    expect(safeNext('https://evil.example')).toBe('/')
    expect(safeNext('//evil.example')).toBe('/')
    expect(safeNext('/sign-in?next=/x')).toBe('/')
  })
})

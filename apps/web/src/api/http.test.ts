import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiError, errorMessage, isApiError, queryString, request, setUnauthorizedHandler } from './http.ts'

function respond(status: number, body: string, contentType = 'application/json') {
  const fetchMock = vi.fn(async () => new Response(status === 204 ? null : body, { status, headers: { 'content-type': contentType } }))
  vi.stubGlobal('fetch', fetchMock)
  return fetchMock
}

afterEach(() => {
  vi.unstubAllGlobals()
  setUnauthorizedHandler(undefined)
})

describe('request', () => {
  it('sends JSON to /api/v1 with the cookie and parses the answer', async () => {
    const fetchMock = respond(200, '{"ok":true}')
    await expect(request('POST', '/orgs/o1/things', { body: { a: 1 }, query: { search: 'x y', empty: '', none: undefined, n: 2 } })).resolves.toEqual({ ok: true })
    expect(fetchMock).toHaveBeenCalledWith('/api/v1/orgs/o1/things?search=x+y&n=2', expect.objectContaining({
      method: 'POST',
      body: '{"a":1}',
      credentials: 'same-origin',
    }))
  })

  it('resolves undefined for 204', async () => {
    respond(204, '')
    await expect(request('DELETE', '/x')).resolves.toBeUndefined()
  })

  it('turns problem documents into ApiError', async () => {
    respond(409, JSON.stringify({ code: 'conflict', detail: 'saved by someone else', currentDefinitionVersion: 7, errors: [{ field: '/definitionVersion', code: 'stale_version', message: 'stale' }] }), 'application/problem+json')
    const error = await request('PATCH', '/w').catch((e: unknown) => e)
    expect(isApiError(error, 409, 'conflict')).toBe(true)
    expect((error as ApiError).problem.currentDefinitionVersion).toBe(7)
    expect((error as ApiError).errors[0]?.code).toBe('stale_version')
    expect(errorMessage(error)).toBe('saved by someone else')
  })

  it('copes with non-JSON errors and unreachable servers', async () => {
    respond(502, '<html>Bad gateway</html>', 'text/html')
    const error = (await request('GET', '/x').catch((e: unknown) => e)) as ApiError
    expect(error.status).toBe(502)
    expect(error.code).toBe('internal_error')
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('Failed to fetch') }))
    const offline = (await request('GET', '/x').catch((e: unknown) => e)) as ApiError
    expect(offline.status).toBe(0)
    expect(errorMessage(offline)).toMatch(/Cannot reach the server/)
  })

  it('calls the 401 handler unless asked not to', async () => {
    const handler = vi.fn()
    setUnauthorizedHandler(handler)
    respond(401, JSON.stringify({ code: 'unauthorized', detail: 'sign in' }))
    await request('GET', '/x').catch(() => undefined)
    expect(handler).toHaveBeenCalledTimes(1)
    await request('GET', '/auth/me', { quiet401: true }).catch(() => undefined)
    expect(handler).toHaveBeenCalledTimes(1)
  })
})

describe('queryString', () => {
  it('skips empty values', () => {
    expect(queryString({ a: undefined, b: null, c: '' })).toBe('')
    expect(queryString({ builtIn: true, limit: 100 })).toBe('?builtIn=true&limit=100')
  })
})

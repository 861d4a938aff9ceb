/**
 * The one way the web app talks to the API: JSON over fetch to `/api/v1/...` (proxied to the
 * API's `/v1`), the session cookie sent along, errors turned into {@link ApiError} from the
 * API's `application/problem+json` bodies.
 */

/** Where the API is mounted, as seen from the browser. */
export const API_BASE = '/api/v1'

/** One offending input of a problem (`field` is a JSON pointer such as `/definition/nodes/3/label`). */
export interface FieldError {
  field: string
  code: string
  message: string
  /** Set by engine problems that name a node or edge. */
  nodeId?: string
  edgeId?: string
}

/** The API's problem document (RFC 9457). */
export interface ProblemBody {
  type?: string
  title?: string
  status?: number
  code: string
  detail: string
  errors?: FieldError[]
  requestId?: string
  /** On a stale workflow save (409): the version to reload. */
  currentDefinitionVersion?: number
}

/** A failed API call: HTTP status 0 means the API could not be reached. */
export class ApiError extends Error {
  override readonly name = 'ApiError'
  constructor(
    readonly status: number,
    readonly problem: ProblemBody,
  ) {
    super(problem.detail)
  }

  get code(): string {
    return this.problem.code
  }

  get errors(): FieldError[] {
    return this.problem.errors ?? []
  }
}

/** Whether `error` is an {@link ApiError} with this status (and code, when given). */
export function isApiError(error: unknown, status?: number, code?: string): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status) && (code === undefined || error.code === code)
}

/** A human sentence for any error thrown by an API call or elsewhere. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return 'Cannot reach the server. Check your connection and try again.'
    return error.problem.detail || error.problem.title || `Request failed (${error.status})`
  }
  if (error instanceof Error) return error.message
  return String(error)
}

let onUnauthorized: (() => void) | undefined

/** Registers what happens when a call answers 401 (the session provider signs the user out). */
export function setUnauthorizedHandler(handler: (() => void) | undefined): void {
  onUnauthorized = handler
}

export type QueryValue = string | number | boolean | null | undefined
export interface RequestOptions {
  body?: unknown
  query?: Record<string, QueryValue>
  signal?: AbortSignal
  /** Do not call the 401 handler (the sign-in and "who am I" calls handle 401 themselves). */
  quiet401?: boolean
}

/** `?a=1&b=x` from the defined, non-empty values. */
export function queryString(query: Record<string, QueryValue> | undefined): string {
  if (query === undefined) return ''
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue
    params.set(key, String(value))
  }
  const text = params.toString()
  return text === '' ? '' : `?${text}`
}

async function problemOf(response: Response): Promise<ProblemBody> {
  const text = await response.text().catch(() => '')
  try {
    const body = JSON.parse(text) as Partial<ProblemBody>
    if (typeof body === 'object' && body !== null && typeof body.detail === 'string') {
      return { ...body, code: typeof body.code === 'string' ? body.code : 'error', detail: body.detail }
    }
  } catch {
    // not JSON: fall through
  }
  return { code: response.status >= 500 ? 'internal_error' : 'error', detail: text.trim() || `${response.status} ${response.statusText}`.trim() }
}

/**
 * Calls the API. Resolves with the parsed JSON body (undefined for 204); rejects with
 * {@link ApiError}.
 *
 * @example
 * const page = await request<Page<Project>>('GET', `/orgs/${orgId}/projects`, { query: { search } })
 */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' }
  let body: string | undefined
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json'
    body = JSON.stringify(options.body)
  }
  let response: Response
  try {
    response = await fetch(`${API_BASE}${path}${queryString(options.query)}`, {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    })
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error
    throw new ApiError(0, { code: 'network_error', detail: error instanceof Error ? error.message : 'network error' })
  }
  if (!response.ok) {
    const problem = await problemOf(response)
    if (response.status === 401 && options.quiet401 !== true) onUnauthorized?.()
    throw new ApiError(response.status, problem)
  }
  if (response.status === 204) return undefined as T
  const text = await response.text()
  return (text === '' ? undefined : JSON.parse(text)) as T
}

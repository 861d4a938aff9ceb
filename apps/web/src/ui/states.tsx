import type { ReactNode } from 'react'
import { errorMessage, isApiError } from '../api/http.ts'

/** A loading placeholder announced to screen readers. */
export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  )
}

/** An error with the API's explanation and, when given, a retry button. */
export function ErrorState({ error, onRetry, title = 'Something went wrong' }: { error: unknown; onRetry?: () => void; title?: string }) {
  const fieldErrors = isApiError(error) ? error.errors : []
  return (
    <div className="state state-error" role="alert">
      <strong>{isApiError(error, 404) ? 'Not found' : isApiError(error, 403) ? 'Not allowed' : title}</strong>
      <p>{errorMessage(error)}</p>
      {fieldErrors.length > 0 && (
        <ul>
          {fieldErrors.map((fieldError, index) => (
            <li key={index}>
              <code>{fieldError.field}</code> {fieldError.message}
            </li>
          ))}
        </ul>
      )}
      {onRetry !== undefined && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  )
}

/** Nothing to show yet, and what to do about it. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <strong>{title}</strong>
      {children !== undefined && <div>{children}</div>}
    </div>
  )
}

/** A one-line error under a form or action. */
export function InlineError({ error }: { error: unknown }) {
  if (error === undefined || error === null) return null
  return (
    <p className="inline-error" role="alert">
      {errorMessage(error)}
    </p>
  )
}

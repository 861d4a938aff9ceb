import { useState, type FormEvent } from 'react'
import { Navigate, useSearchParams } from 'react-router'
import { errorMessage, isApiError } from '../api/http.ts'
import { useSession } from '../auth/session.tsx'
import { Loading } from '../ui/states.tsx'

/** Only same-site paths are followed after sign-in (no open redirect). */
export function safeNext(next: string | null): string {
  return next !== null && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/sign-in') ? next : '/'
}

export function SignInPage() {
  const { state, signIn } = useSession()
  const [params] = useSearchParams()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(undefined)

  if (state.status === 'loading') return <Loading label="Checking your session…" />
  if (state.status === 'signed-in') return <Navigate to={safeNext(params.get('next'))} replace />

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      await signIn(email, password)
    } catch (reason) {
      setError(reason)
    } finally {
      setBusy(false)
    }
  }

  const fieldError = (field: string) => (isApiError(error) ? error.errors.find((e) => e.field === field)?.message : undefined)
  const emailError = fieldError('/email')

  return (
    <main className="auth-page">
      <form className="auth-card" onSubmit={submit} aria-labelledby="sign-in-title" noValidate>
        <h1 id="sign-in-title">Sign in to Workflow Builder</h1>
        <label htmlFor="sign-in-email">Email</label>
        <input
          id="sign-in-email"
          type="email"
          autoComplete="username"
          value={email}
          required
          autoFocus
          aria-invalid={emailError !== undefined}
          onChange={(event) => setEmail(event.target.value)}
        />
        {emailError !== undefined && <p className="field-error">{emailError}</p>}
        <label htmlFor="sign-in-password">Password</label>
        <input
          id="sign-in-password"
          type="password"
          autoComplete="current-password"
          value={password}
          required
          onChange={(event) => setPassword(event.target.value)}
        />
        {error !== undefined && (
          <p className="inline-error" role="alert">
            {isApiError(error, 401) ? 'Email or password is incorrect.' : isApiError(error, 429) ? `Too many attempts. ${errorMessage(error)}` : errorMessage(error)}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy || email === '' || password === ''}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  )
}

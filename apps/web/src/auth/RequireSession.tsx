import { Navigate, Outlet, useLocation } from 'react-router'
import { ErrorState, Loading } from '../ui/states.tsx'
import { useSession } from './session.tsx'

/** Renders the child routes for signed-in users; sends others to the sign-in page and back. */
export function RequireSession() {
  const { state, refresh } = useSession()
  const location = useLocation()
  if (state.status === 'loading') return <Loading label="Checking your session…" />
  if (state.status === 'error') return <ErrorState error={state.error} title="Cannot load your session" onRetry={() => void refresh()} />
  if (state.status === 'signed-out') {
    const next = `${location.pathname}${location.search}`
    return <Navigate to={`/sign-in?next=${encodeURIComponent(next)}`} replace />
  }
  return <Outlet />
}

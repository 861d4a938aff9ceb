import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react'
import { getMe, signIn as apiSignIn, signOut as apiSignOut, type Me, type Membership } from '../api/client.ts'
import { isApiError, setUnauthorizedHandler } from '../api/http.ts'

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out' }
  | { status: 'error'; error: unknown }
  | { status: 'signed-in'; me: Me }

interface SessionContextValue {
  state: SessionState
  signIn: (email: string, password: string) => Promise<void>
  signOut: () => Promise<void>
  refresh: () => Promise<void>
}

const SessionContext = createContext<SessionContextValue | undefined>(undefined)

/**
 * Who is signed in (from `GET /v1/auth/me`), with sign-in and sign-out. Any API call answering
 * 401 flips the state to signed-out, which sends the user to the sign-in page.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' })

  const refresh = useCallback(async () => {
    try {
      setState({ status: 'signed-in', me: await getMe() })
    } catch (error) {
      setState(isApiError(error, 401) ? { status: 'signed-out' } : { status: 'error', error })
    }
  }, [])

  useEffect(() => {
    void refresh()
    setUnauthorizedHandler(() => setState({ status: 'signed-out' }))
    return () => setUnauthorizedHandler(undefined)
  }, [refresh])

  const signIn = useCallback(
    async (email: string, password: string) => {
      await apiSignIn(email, password)
      await refresh()
    },
    [refresh],
  )

  const signOut = useCallback(async () => {
    try {
      await apiSignOut()
    } finally {
      setState({ status: 'signed-out' })
    }
  }, [])

  const value = useMemo(() => ({ state, signIn, signOut, refresh }), [state, signIn, signOut, refresh])
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
}

/** The session; throws outside `SessionProvider`. */
export function useSession(): SessionContextValue {
  const value = useContext(SessionContext)
  if (value === undefined) throw new Error('useSession must be used inside SessionProvider')
  return value
}

/** The signed-in user (inside `RequireSession` only). */
export function useMe(): Me {
  const { state } = useSession()
  if (state.status !== 'signed-in') throw new Error('useMe must be used inside RequireSession')
  return state.me
}

/** What a role may do in an organisation. */
export interface Permissions {
  /** Edit, save, deploy, run, and act on runs (cancel, terminate, retry, signal). */
  canWrite: boolean
}

/**
 * Permissions of a role: viewers read only.
 *
 * @example
 * permissionsOf('viewer').canWrite // false
 */
export function permissionsOf(role: Membership['role'] | undefined): Permissions {
  return { canWrite: role === 'admin' || role === 'developer' }
}

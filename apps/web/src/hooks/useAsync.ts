import { useCallback, useEffect, useRef, useState } from 'react'

export interface AsyncState<T> {
  data: T | undefined
  error: unknown
  loading: boolean
  /** Loads again (keeps the current data on screen meanwhile). */
  reload: () => void
  /** Replaces the data locally (after a mutation answered with the new value). */
  setData: (data: T | ((current: T | undefined) => T)) => void
}

/**
 * Runs `load` when `deps` change, aborting the previous call; exposes data, error and loading.
 *
 * @example
 * const workflows = useAsync((signal) => listWorkflows(orgId, { search }, signal), [orgId, search])
 */
export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): AsyncState<T> {
  const [data, setData] = useState<T | undefined>(undefined)
  const [error, setError] = useState<unknown>(undefined)
  const [loading, setLoading] = useState(true)
  const [generation, setGeneration] = useState(0)
  const loadRef = useRef(load)
  loadRef.current = load

  useEffect(() => {
    const controller = new AbortController()
    setLoading(true)
    setError(undefined)
    loadRef.current(controller.signal).then(
      (value) => {
        if (controller.signal.aborted) return
        setData(value)
        setLoading(false)
      },
      (reason: unknown) => {
        if (controller.signal.aborted) return
        setError(reason)
        setLoading(false)
      },
    )
    return () => controller.abort()
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller's deps decide
  }, [...deps, generation])

  const reload = useCallback(() => setGeneration((g) => g + 1), [])
  return { data, error, loading, reload, setData }
}

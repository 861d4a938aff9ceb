import { useEffect, useRef } from 'react'

/**
 * Calls `tick` every `intervalMs` while `enabled` and the page is visible (hidden tabs do not
 * poll). The next tick waits for the previous one to finish.
 *
 * @example
 * usePolling(() => run.reload(), 2000, isRunInFlight(run.data?.run.status))
 */
export function usePolling(tick: () => unknown, intervalMs: number, enabled: boolean): void {
  const tickRef = useRef(tick)
  tickRef.current = tick
  useEffect(() => {
    if (!enabled) return
    let stopped = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const schedule = () => {
      timer = setTimeout(async () => {
        if (stopped) return
        if (typeof document === 'undefined' || document.visibilityState !== 'hidden') {
          try {
            await tickRef.current()
          } catch {
            // the caller shows its own errors; keep polling
          }
        }
        if (!stopped) schedule()
      }, intervalMs)
    }
    schedule()
    return () => {
      stopped = true
      if (timer !== undefined) clearTimeout(timer)
    }
  }, [intervalMs, enabled])
}

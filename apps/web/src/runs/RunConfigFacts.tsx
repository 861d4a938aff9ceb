interface Snapshot {
  namedConfig?: { name: string; version: number } | null
  clientConfig?: { clientId: string; workflowSlug: string; workstreamSlug: string } | null
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value)

/**
 * Which configuration layers a run used, from its `configSnapshot` (the engine records the named
 * config version and the client's step config; the merged per-node configs are each step's input).
 */
export function RunConfigFacts({ snapshot }: { snapshot: unknown }) {
  if (!isObject(snapshot)) return null
  const { namedConfig, clientConfig } = snapshot as Snapshot
  return (
    <>
      {isObject(namedConfig) && (
        <>
          <dt>Named config</dt>
          <dd data-testid="run-named-config">
            {namedConfig.name} v{namedConfig.version}
          </dd>
        </>
      )}
      {isObject(clientConfig) && (
        <>
          <dt>Client config</dt>
          <dd data-testid="run-client-config">
            {clientConfig.workflowSlug} ({clientConfig.workstreamSlug})
          </dd>
        </>
      )}
    </>
  )
}

import type { DeclarationCollection, WorkflowDefinition } from '@workflow-builder/definition'

/** Names declared on a workflow, per collection a node's config can name (`signals`, `workQueues`, ...). */
export type DeclaredNames = { readonly [collection in DeclarationCollection]: readonly string[] }

/** What the editor's workflow panel calls each collection, for hints. */
export const COLLECTION_LABELS: { readonly [collection in DeclarationCollection]: { one: string; many: string } } = {
  signals: { one: 'signal', many: 'signals' },
  queries: { one: 'query', many: 'queries' },
  workQueues: { one: 'work queue', many: 'work queues' },
}

const namesOf = (entries: ReadonlyArray<{ name?: unknown }> | undefined): string[] => [
  ...new Set((entries ?? []).map((entry) => entry.name).filter((name): name is string => typeof name === 'string' && name !== '')),
]

/**
 * The declared signal, query and work queue names of a definition (blank names left out, each
 * name once), in declaration order.
 *
 * @example
 * declaredNames({ ...definition, workQueues: [{ name: 'orders' }] }).workQueues // ['orders']
 */
export function declaredNames(definition: Pick<WorkflowDefinition, 'signals' | 'queries' | 'workQueues'>): DeclaredNames {
  return { signals: namesOf(definition.signals), queries: namesOf(definition.queries), workQueues: namesOf(definition.workQueues) }
}

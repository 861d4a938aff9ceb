import Type, { type Static } from 'typebox'
import type { NodeKindDescriptor } from '../node-kind.ts'
import { IDENTIFIER_PATTERN, LIMITS } from '../patterns.ts'

/** `query.parent` settings. */
export const queryParentConfigSchema = Type.Object(
  {
    queryName: Type.String({
      pattern: IDENTIFIER_PATTERN,
      maxLength: LIMITS.id,
      title: 'Query',
      description: 'A query the parent workflow declares, or `wbState` (the state of its steps).',
      default: 'wbState',
    }),
  },
  { additionalProperties: false, title: 'Query parent' },
)
/** @see queryParentConfigSchema */
export type QueryParentConfig = Static<typeof queryParentConfigSchema>

/**
 * Asks the run that started this one as a child a query (through an activity: workflows cannot
 * query each other directly). The parent's `workflow.child` node must allow it (`canQueryParent`)
 * and the parent must declare the query (or it is `wbState`): deploying the parent checks both
 * against the child's deployed version.
 */
export const queryParentKind: NodeKindDescriptor<QueryParentConfig> = {
  kind: 'query.parent',
  version: 1,
  label: 'Query parent',
  description: 'Asks the parent run a query and outputs its answer (when this workflow runs as a child that may query its parent).',
  category: 'action',
  componentType: 'signal',
  runsIn: 'workflow',
  configSchema: queryParentConfigSchema,
  outputSchema: Type.Unknown({ description: 'The parent\'s answer to the query.' }),
  inputs: 1,
  outputs: [{ id: 'out', label: 'Answer' }],
  expressionFields: [],
  icon: 'bell',
}

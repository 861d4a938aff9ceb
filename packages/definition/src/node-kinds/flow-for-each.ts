import Type, { type Static } from 'typebox'
import { isExpression } from '../expressions.ts'
import type { ConfigIssue, NodeKindDescriptor } from '../node-kind.ts'
import { Expression } from '../schema-helpers.ts'

/** Handle where the loop body starts. */
export const FOR_EACH_ITEM_HANDLE = 'item'
/** Handle taken after every item was processed. */
export const FOR_EACH_DONE_HANDLE = 'done'

/** `flow.forEach` settings. */
export const flowForEachConfigSchema = Type.Object(
  {
    items: Expression({ minLength: 1, title: 'Items', description: 'A {{ }} expression resolving to an array.' }),
    concurrency: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 100, default: 5, title: 'Concurrency', description: 'Items processed at the same time.' }),
    ),
  },
  { additionalProperties: false, title: 'For each' },
)
/** @see flowForEachConfigSchema */
export type FlowForEachConfig = Static<typeof flowForEachConfigSchema>

function checkForEach(config: FlowForEachConfig): ConfigIssue[] {
  return isExpression(config.items)
    ? []
    : [{ field: 'config.items', code: 'expression_required', message: 'must be a {{ }} expression' }]
}

/**
 * Loop: the region reachable from `item` is the body, run once per element (body nodes see
 * `item` and `index`); `done` continues after all items. The output is the array of each
 * iteration's last body node output.
 */
export const flowForEachKind: NodeKindDescriptor<FlowForEachConfig> = {
  kind: 'flow.forEach',
  version: 1,
  label: 'For each',
  description:
    'Runs the nodes after `item` once per array element (they can use `item` and `index`), then continues on `done`. Outputs the list of each iteration’s result.',
  category: 'flow',
  componentType: 'activity',
  runsIn: 'workflow',
  configSchema: flowForEachConfigSchema,
  outputSchema: Type.Array(Type.Unknown(), { description: 'Output of the last body node, per item, in item order.' }),
  inputs: 1,
  outputs: [
    { id: FOR_EACH_ITEM_HANDLE, label: 'Each item', required: true },
    { id: FOR_EACH_DONE_HANDLE, label: 'Done' },
  ],
  expressionFields: ['items'],
  icon: 'repeat',
  checkConfig: checkForEach,
  loop: { bodyHandle: FOR_EACH_ITEM_HANDLE, doneHandle: FOR_EACH_DONE_HANDLE },
}

import Type, { type Static } from 'typebox'
import { isExpression } from '../expressions.ts'
import type { ConfigIssue, NodeKindDescriptor } from '../node-kind.ts'
import { Expression } from '../schema-helpers.ts'

/** `branch.if` settings. */
export const branchIfConfigSchema = Type.Object(
  {
    condition: Expression({
      minLength: 1,
      title: 'Condition',
      description: 'A {{ }} expression; its value is cast like JSONata `$boolean()` (empty arrays and objects are false).',
    }),
  },
  { additionalProperties: false, title: 'If' },
)
/** @see branchIfConfigSchema */
export type BranchIfConfig = Static<typeof branchIfConfigSchema>

function checkBranchIf(config: BranchIfConfig): ConfigIssue[] {
  return isExpression(config.condition)
    ? []
    : [{ field: 'config.condition', code: 'expression_required', message: 'must be a {{ }} expression' }]
}

/** Two-way branch. Both paths must re-converge at one node or each end at `output.end`. */
export const branchIfKind: NodeKindDescriptor<BranchIfConfig> = {
  kind: 'branch.if',
  version: 1,
  label: 'If',
  description: 'Continues on the `true` or the `false` handle depending on a condition.',
  category: 'logic',
  componentType: 'activity',
  runsIn: 'workflow',
  configSchema: branchIfConfigSchema,
  outputSchema: Type.Boolean({ description: 'The condition, cast to a boolean.' }),
  inputs: 1,
  outputs: [
    { id: 'true', label: 'True', required: true },
    { id: 'false', label: 'False', required: true },
  ],
  expressionFields: ['condition'],
  icon: 'git-branch',
  checkConfig: checkBranchIf,
}

import Type, { type Static } from 'typebox'
import { isExpression } from '../expressions.ts'
import type { ConfigIssue, NodeKindDescriptor, OutputHandle } from '../node-kind.ts'
import { IDENTIFIER_PATTERN, LIMITS } from '../patterns.ts'
import { Expression, JsonValue } from '../schema-helpers.ts'

/** Handle taken when no case matches. */
export const SWITCH_DEFAULT_HANDLE = 'default'

/** `branch.switch` settings. */
export const branchSwitchConfigSchema = Type.Object(
  {
    value: Expression({ minLength: 1, title: 'Value', description: 'A {{ }} expression compared with each case.' }),
    cases: Type.Array(
      Type.Object(
        {
          id: Type.String({
            pattern: IDENTIFIER_PATTERN,
            maxLength: LIMITS.id,
            title: 'Handle id',
            description: 'Output handle of this case; an identifier.',
          }),
          label: Type.String({ maxLength: LIMITS.label, title: 'Label' }),
          equals: JsonValue({ title: 'Equals', description: 'JSON value compared (deeply) with the evaluated value.' }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 50, title: 'Cases', description: 'Checked in order; the first equal case wins.' },
    ),
  },
  { additionalProperties: false, title: 'Switch' },
)
/** @see branchSwitchConfigSchema */
export type BranchSwitchConfig = Static<typeof branchSwitchConfigSchema>

function switchOutputs(config: BranchSwitchConfig): OutputHandle[] {
  const cases = Array.isArray(config.cases) ? config.cases : []
  return [
    ...cases.map((c) => ({ id: c.id, label: c.label === '' ? c.id : c.label, required: true })),
    { id: SWITCH_DEFAULT_HANDLE, label: 'Default', required: true },
  ]
}

function checkSwitch(config: BranchSwitchConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  if (!isExpression(config.value)) {
    issues.push({ field: 'config.value', code: 'expression_required', message: 'must be a {{ }} expression' })
  }
  const seen = new Set<string>()
  config.cases.forEach((c, index) => {
    if (c.id === SWITCH_DEFAULT_HANDLE) {
      issues.push({ field: `config.cases[${index}].id`, code: 'invalid_config', message: '"default" is reserved for the default handle' })
    } else if (seen.has(c.id)) {
      issues.push({ field: `config.cases[${index}].id`, code: 'invalid_config', message: `duplicate case id "${c.id}"` })
    }
    seen.add(c.id)
  })
  return issues
}

/** Multi-way branch on a value: one handle per case plus `default`. */
export const branchSwitchKind: NodeKindDescriptor<BranchSwitchConfig> = {
  kind: 'branch.switch',
  version: 1,
  label: 'Switch',
  description: 'Continues on the handle of the first case equal to the value, or on `default`.',
  category: 'logic',
  componentType: 'activity',
  runsIn: 'workflow',
  configSchema: branchSwitchConfigSchema,
  outputSchema: Type.Object({ value: Type.Unknown(), case: Type.String({ description: 'Handle id taken.' }) }),
  inputs: 1,
  outputs: switchOutputs,
  expressionFields: ['value'],
  icon: 'split',
  checkConfig: checkSwitch,
}

import Type, { type Static } from 'typebox'
import type { NodeKindDescriptor } from '../node-kind.ts'
import { Expression, StringMap } from '../schema-helpers.ts'

/** `transform` settings: output field name → template. */
export const transformConfigSchema = Type.Object(
  {
    mapping: StringMap(Expression({ title: 'Value' }), {
      title: 'Fields',
      description: 'Each entry becomes a field of the output object; values may be {{ }} expressions.',
    }),
  },
  { additionalProperties: false, title: 'Transform' },
)
/** @see transformConfigSchema */
export type TransformConfig = Static<typeof transformConfigSchema>

/** Builds an object from expressions, deterministically inside the workflow. */
export const transformKind: NodeKindDescriptor<TransformConfig> = {
  kind: 'transform',
  version: 1,
  label: 'Transform',
  description: 'Builds an object whose fields are computed with expressions.',
  category: 'logic',
  componentType: 'activity',
  runsIn: 'workflow',
  configSchema: transformConfigSchema,
  outputSchema: Type.Record(Type.String(), Type.Unknown(), { description: 'One field per mapping entry.' }),
  inputs: 1,
  outputs: [{ id: 'out', label: 'Result' }],
  expressionFields: ['mapping.*'],
  icon: 'shuffle',
}

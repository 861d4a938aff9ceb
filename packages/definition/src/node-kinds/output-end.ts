import Type, { type Static } from 'typebox'
import type { NodeKindDescriptor } from '../node-kind.ts'
import { Expression, StringMap } from '../schema-helpers.ts'

/** `output.end` settings. */
export const outputEndConfigSchema = Type.Object(
  {
    output: Type.Optional(
      StringMap(Expression({ title: 'Value' }), {
        title: 'Return value',
        description: 'Fields of the object the run returns; values may be {{ }} expressions.',
      }),
    ),
  },
  { additionalProperties: false, title: 'End' },
)
/** @see outputEndConfigSchema */
export type OutputEndConfig = Static<typeof outputEndConfigSchema>

/** Ends the run, returning an object built from expressions. */
export const outputEndKind: NodeKindDescriptor<OutputEndConfig> = {
  kind: 'output.end',
  version: 1,
  label: 'End',
  description: 'Ends the run and returns an object built from expressions.',
  category: 'output',
  componentType: 'activity',
  runsIn: 'workflow',
  configSchema: outputEndConfigSchema,
  outputSchema: Type.Record(Type.String(), Type.Unknown(), { description: 'The workflow result.' }),
  inputs: 1,
  outputs: [],
  expressionFields: ['output.*'],
  icon: 'flag',
}

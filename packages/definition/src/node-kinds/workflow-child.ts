import Type, { type Static } from 'typebox'
import type { NodeKindDescriptor } from '../node-kind.ts'
import { SLUG_PATTERN } from '../patterns.ts'
import { Expression, StringMap } from '../schema-helpers.ts'

/** `workflow.child` settings. */
export const workflowChildConfigSchema = Type.Object(
  {
    workflowSlug: Type.String({
      pattern: SLUG_PATTERN,
      maxLength: 64,
      title: 'Workflow',
      description: 'Slug of the published workflow to start.',
    }),
    input: Type.Optional(
      StringMap(Expression({ title: 'Value' }), {
        title: 'Input',
        description: 'Fields of the child run input; values may be {{ }} expressions.',
      }),
    ),
    parentClosePolicy: Type.Optional(
      Type.Enum(['terminate', 'abandon', 'request_cancel'], {
        title: 'When this run ends first',
        description: 'What happens to the child if this run closes before it.',
        default: 'terminate',
      }),
    ),
    waitForCompletion: Type.Optional(
      Type.Boolean({ title: 'Wait for completion', description: 'Wait for the child result, or continue once started.', default: true }),
    ),
  },
  { additionalProperties: false, title: 'Run workflow' },
)
/** @see workflowChildConfigSchema */
export type WorkflowChildConfig = Static<typeof workflowChildConfigSchema>

/** Starts another workflow as a Temporal child workflow. */
export const workflowChildKind: NodeKindDescriptor<WorkflowChildConfig> = {
  kind: 'workflow.child',
  version: 1,
  label: 'Run workflow',
  description: 'Starts another workflow as a child run; outputs its result (or its ids when not waiting).',
  category: 'action',
  componentType: 'activity',
  runsIn: 'workflow',
  configSchema: workflowChildConfigSchema,
  outputSchema: Type.Unknown({
    description: 'The child workflow result when waiting for completion, else `{ workflowId, runId }`.',
  }),
  inputs: 1,
  outputs: [{ id: 'out', label: 'Result' }],
  expressionFields: ['input.*'],
  icon: 'workflow',
}

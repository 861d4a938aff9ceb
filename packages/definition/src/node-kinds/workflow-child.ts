import Type, { type Static } from 'typebox'
import { isExpression, templateSyntaxError } from '../expressions.ts'
import type { ConfigIssue, NodeKindDescriptor } from '../node-kind.ts'
import { IDENTIFIER_PATTERN, LIMITS, ID_PATTERN, SLUG_PATTERN } from '../patterns.ts'
import { Expression, StringMap } from '../schema-helpers.ts'

/**
 * `blockUntil`: the child starts only once ALL the given conditions hold. Checked when the node is
 * reached, then again whenever a step completes or a signal arrives (steps in parallel branches can
 * complete meanwhile). Stored with the deployment in workflow_child_workflows.block_until.
 */
export const childBlockUntilSchema = Type.Object(
  {
    nodes: Type.Optional(
      Type.Array(Type.String({ pattern: ID_PATTERN, maxLength: LIMITS.id }), {
        maxItems: 50, uniqueItems: true, title: 'After these steps', description: 'Ids of nodes (e.g. in parallel branches) that must have completed.',
      }),
    ),
    signal: Type.Optional(
      Type.String({
        pattern: IDENTIFIER_PATTERN, maxLength: LIMITS.id, title: 'After this signal',
        description: 'A signal declared on this workflow that must have arrived (it is not consumed: a later Wait for signal still gets it).',
      }),
    ),
    expression: Type.Optional(
      Type.String({
        maxLength: LIMITS.string, title: 'When true',
        description: 'A {{ }} expression over input and steps, re-evaluated as the run progresses; the child starts once it is true.',
      }),
    ),
    timeoutSeconds: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 31_536_000, title: 'Give up after (seconds)', description: 'Fail the step when the conditions do not hold in time.' }),
    ),
  },
  { additionalProperties: false, title: 'Start only when', description: 'The child starts once all the given conditions hold.' },
)
/** @see childBlockUntilSchema */
export type ChildBlockUntil = Static<typeof childBlockUntilSchema>

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
    canSignalParent: Type.Optional(
      Type.Boolean({ title: 'Child may signal this run', description: 'Allows the child\'s "Signal parent" nodes to signal this run. Deploy refuses a child that signals its parent without it.', default: false }),
    ),
    canQueryParent: Type.Optional(
      Type.Boolean({ title: 'Child may query this run', description: 'Passed to the child in its run context and recorded with the deployment.', default: false }),
    ),
    blockUntil: Type.Optional(childBlockUntilSchema),
  },
  { additionalProperties: false, title: 'Run workflow' },
)
/** @see workflowChildConfigSchema */
export type WorkflowChildConfig = Static<typeof workflowChildConfigSchema>

function checkChild(config: WorkflowChildConfig): ConfigIssue[] {
  const expression = config.blockUntil?.expression
  if (expression === undefined) return []
  if (!isExpression(expression)) {
    return [{ field: 'config.blockUntil.expression', code: 'expression_syntax', message: 'must be a {{ }} expression, e.g. {{ steps.check.output.ready }}' }]
  }
  const error = templateSyntaxError(expression, { field: 'config.blockUntil.expression' })
  return error === undefined ? [] : [{ field: 'config.blockUntil.expression', code: 'expression_syntax', message: error.message }]
}

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
  // blockUntil.expression is evaluated by the runtime while waiting, not resolved up front.
  expressionFields: ['input.*'],
  icon: 'workflow',
  checkConfig: checkChild,
}

import Type, { type Static } from 'typebox'
import type { NodeKindDescriptor } from '../node-kind.ts'
import { IDENTIFIER_PATTERN, LIMITS } from '../patterns.ts'
import { Expression, StringMap } from '../schema-helpers.ts'

/** `signal.parent` settings. */
export const signalParentConfigSchema = Type.Object(
  {
    signalName: Type.String({
      pattern: IDENTIFIER_PATTERN,
      maxLength: LIMITS.id,
      title: 'Signal',
      description: 'A signal the parent workflow declares (its Wait for signal nodes receive it).',
    }),
    payload: Type.Optional(
      StringMap(Expression({ title: 'Value' }), {
        title: 'Payload',
        description: 'Fields of the signal payload; values may be {{ }} expressions.',
      }),
    ),
  },
  { additionalProperties: false, title: 'Signal parent' },
)
/** @see signalParentConfigSchema */
export type SignalParentConfig = Static<typeof signalParentConfigSchema>

/**
 * Sends a signal to the run that started this one as a child. The parent's `workflow.child` node
 * must allow it (`canSignalParent`) and declare the signal: deploying the parent checks both
 * against the child's deployed version. At run time the step fails when the run has no parent or
 * the parent did not allow it.
 */
export const signalParentKind: NodeKindDescriptor<SignalParentConfig> = {
  kind: 'signal.parent',
  version: 1,
  label: 'Signal parent',
  description: 'Sends a signal to the parent run (when this workflow runs as a child that may signal its parent).',
  category: 'action',
  componentType: 'signal',
  runsIn: 'workflow',
  configSchema: signalParentConfigSchema,
  outputSchema: Type.Object({ signalName: Type.String(), parentWorkflowId: Type.String() }, { description: 'What was sent, to which parent workflow id.' }),
  inputs: 1,
  outputs: [{ id: 'out', label: 'Sent' }],
  expressionFields: ['payload.*'],
  icon: 'bell',
}

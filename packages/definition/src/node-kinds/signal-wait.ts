import Type, { type Static } from 'typebox'
import type { NodeKindDescriptor, OutputHandle } from '../node-kind.ts'
import { IDENTIFIER_PATTERN, LIMITS } from '../patterns.ts'

/** Handle taken when the signal arrives. */
export const SIGNAL_RECEIVED_HANDLE = 'received'
/** Handle taken when `timeoutSeconds` elapse first. */
export const SIGNAL_TIMEOUT_HANDLE = 'timeout'

/** `signal.wait` settings. */
export const signalWaitConfigSchema = Type.Object(
  {
    signalName: Type.String({
      pattern: IDENTIFIER_PATTERN,
      maxLength: LIMITS.id,
      title: 'Signal',
      description: 'One of the signals declared on the workflow.',
    }),
    timeoutSeconds: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 31_536_000,
        title: 'Timeout (seconds)',
        description: 'When set, the `timeout` handle is taken if the signal has not arrived in time.',
      }),
    ),
    description: Type.Optional(Type.String({ maxLength: LIMITS.string, title: 'Description' })),
  },
  { additionalProperties: false, title: 'Wait for signal' },
)
/** @see signalWaitConfigSchema */
export type SignalWaitConfig = Static<typeof signalWaitConfigSchema>

// Like any node, a plain wait may end a path; with a timeout it is a branch and both outcomes need an edge.
const received: OutputHandle = { id: SIGNAL_RECEIVED_HANDLE, label: 'Received' }
const receivedBranch: OutputHandle = { ...received, required: true }
const timedOut: OutputHandle = { id: SIGNAL_TIMEOUT_HANDLE, label: 'Timed out', required: true }

/**
 * Pauses until a signal arrives. With `timeoutSeconds` it has a second handle, `timeout`, and
 * behaves like a branch (paths re-converge or end at `output.end`).
 */
export const signalWaitKind: NodeKindDescriptor<SignalWaitConfig> = {
  kind: 'signal.wait',
  version: 1,
  label: 'Wait for signal',
  description: 'Pauses the run until the signal is sent; outputs the signal payload. Optionally gives up after a timeout.',
  category: 'flow',
  componentType: 'signal',
  runsIn: 'workflow',
  configSchema: signalWaitConfigSchema,
  outputSchema: Type.Unknown({ description: 'The signal payload; undefined after a timeout.' }),
  inputs: 1,
  outputs: (config) => (config.timeoutSeconds === undefined ? [received] : [receivedBranch, timedOut]),
  expressionFields: [],
  declaredNameFields: { signalName: 'signals' },
  icon: 'bell',
}

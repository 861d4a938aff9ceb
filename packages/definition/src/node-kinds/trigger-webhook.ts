import Type, { type Static } from 'typebox'
import type { NodeKindDescriptor } from '../node-kind.ts'
import { LIMITS } from '../patterns.ts'

/**
 * `trigger.webhook` settings. The webhook secret is deliberately absent: it lives with the
 * workflow record on the server, never in the definition.
 */
export const triggerWebhookConfigSchema = Type.Object(
  {
    method: Type.Optional(
      Type.Enum(['GET', 'POST'], { title: 'HTTP method', description: 'Method the webhook URL accepts.', default: 'POST' }),
    ),
    description: Type.Optional(
      Type.String({ maxLength: LIMITS.string, title: 'Description', description: 'Notes for callers of the webhook.' }),
    ),
  },
  { additionalProperties: false, title: 'Webhook trigger' },
)
/** @see triggerWebhookConfigSchema */
export type TriggerWebhookConfig = Static<typeof triggerWebhookConfigSchema>

/** Starts a run when the workflow's webhook URL is called. */
export const triggerWebhookKind: NodeKindDescriptor<TriggerWebhookConfig> = {
  kind: 'trigger.webhook',
  version: 1,
  label: 'Webhook',
  description: 'Starts a run when the webhook URL is called. Its output is the run input: the request as `{ method, headers, query, body }`.',
  category: 'trigger',
  componentType: 'trigger',
  runsIn: 'workflow',
  configSchema: triggerWebhookConfigSchema,
  outputSchema: Type.Object(
    {
      method: Type.String(),
      headers: Type.Record(Type.String(), Type.String()),
      query: Type.Record(Type.String(), Type.Unknown()),
      body: Type.Unknown(),
    },
    { description: 'The webhook request (same value as `input`).' },
  ),
  inputs: 0,
  outputs: [{ id: 'out', label: 'Request' }],
  expressionFields: [],
  icon: 'webhook',
}

import { Type } from 'typebox';
import { Nullable, Page, PageQuery, Timestamp, Uuid } from '../../schemas/common.ts';

export const WebhookParams = Type.Object({ orgId: Uuid, workflowId: Uuid, webhookId: Uuid });

const webhook = {
  id: Uuid,
  workflowId: Uuid,
  createdBy: Uuid,
  createdAt: Timestamp,
  revokedAt: Nullable(Timestamp),
};
export const Webhook = Type.Object(webhook);

export const CreatedWebhook = Type.Object({
  ...webhook,
  token: Type.String({ description: 'wbh_…: shown once, stored only as its sha256' }),
  url: Type.String({ description: 'POST here (or POST /v1/hooks with the X-Webhook-Token header)' }),
});

export const ListWebhooksQuery = Type.Object(
  { ...PageQuery, includeRevoked: Type.Optional(Type.Boolean({ default: false, description: 'Also list revoked webhooks' })) },
  { additionalProperties: false },
);
export const WebhookPage = Page(Webhook);

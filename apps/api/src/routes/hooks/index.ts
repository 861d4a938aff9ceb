import { sql } from 'kysely';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { withCaller, type Caller } from '@workflow-builder/db';
import { startRun } from '@workflow-builder/engine';
import { AttemptLimiter } from '../../lib/attempt-limiter.ts';
import { asAnonymous } from '../../lib/context.ts';
import { looksLikeWebhookToken, sha256Hex } from '../../lib/crypto.ts';
import { engineCall } from '../../lib/engine-errors.ts';
import { temporalClient } from '../../lib/engine-context.ts';
import { ApiError, conflict, invalid, notFound } from '../../lib/problem.ts';
import { problemResponses } from '../../schemas/common.ts';
import { HookAccepted, HookParams } from './schemas.ts';

const TOKEN_HEADER = 'x-webhook-token';
const MAX_HEADERS = 50;
const MAX_HEADER_LENGTH = 2048;

/**
 * The request headers a workflow sees: content-type, user-agent and x-* (signatures, delivery
 * ids), never credentials (authorization, cookie) nor the webhook token itself.
 */
export function safeHeaders(headers: FastifyRequest['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  let n = 0;
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (value === undefined || key === TOKEN_HEADER) continue;
    if (key !== 'content-type' && key !== 'user-agent' && !key.startsWith('x-')) continue;
    if (++n > MAX_HEADERS) break;
    out[key] = (Array.isArray(value) ? value.join(', ') : String(value)).slice(0, MAX_HEADER_LENGTH);
  }
  return out;
}

interface HookRow { workflow_id: string; org_id: string; auth_user_id: string }

/** The trigger node of the definition a run would execute: the active version's, else the saved one. */
function triggerOf(definition: unknown): { kind: string; config: Record<string, unknown> } | null {
  const nodes = (definition as { nodes?: unknown } | null)?.nodes;
  if (!Array.isArray(nodes)) return null;
  const node = nodes.find((n) => typeof (n as { kind?: unknown })?.kind === 'string' && (n as { kind: string }).kind.startsWith('trigger.')) as
    { kind: string; config?: unknown } | undefined;
  if (!node) return null;
  const config = node.config !== null && typeof node.config === 'object' ? node.config as Record<string, unknown> : {};
  return { kind: node.kind, config };
}

/** Input problems of a webhook call name the part of the request: `/input/body/x` is the body's `/x`. */
function requestField(field: string): string {
  if (field === '/input/body') return '/';
  if (field.startsWith('/input/body/')) return field.slice('/input/body'.length);
  if (field.startsWith('/input/query') || field.startsWith('/input/headers')) return field.slice('/input'.length);
  return field;
}

/**
 * `/hooks`: starts runs of webhook-triggered workflows, without a session. The token (in the
 * path, or the X-Webhook-Token header) is resolved as `anon` by app.webhook_caller; the run then
 * starts as the token's creator, channel `webhook`, with input `{ method, headers, query, body }`.
 * Unknown and revoked tokens are 404. Calls are limited per IP and per token.
 */
export const hookRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Form posts (Slack and the like) besides JSON; this plugin's scope only.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    const params = new URLSearchParams(body as string);
    const out: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
    for (const [k, v] of params) {
      const prev = out[k];
      out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    done(null, { ...out });
  });

  const perToken = new AttemptLimiter(app.env.rateLimits.webhookPerToken);
  const config = { public: true, rateLimit: { max: app.env.rateLimits.webhookPerIp.max, timeWindow: app.env.rateLimits.webhookPerIp.windowMs } };

  const trigger = async (req: FastifyRequest, reply: FastifyReply, token: string | undefined, field: string) => {
    if (token === undefined || token === '') throw invalid(field, 'required', 'send the webhook token in the URL (/v1/hooks/<token>) or the X-Webhook-Token header');
    const hash = sha256Hex(token);
    perToken.check(hash, reply, field, 'calls of this webhook');
    if (!looksLikeWebhookToken(token)) throw notFound('webhook', field);
    const { rows } = await asAnonymous(app, req, (tx) => sql<HookRow>`select * from app.webhook_caller(${hash})`.execute(tx));
    const hook = rows[0];
    if (!hook) throw notFound('webhook', field);
    const caller: Caller = { authUserId: hook.auth_user_id, orgId: hook.org_id, requestId: req.id };

    const wf = await withCaller(app.db, caller, (tx) => tx.selectFrom('workflows as w')
      .leftJoin('workflow_compiled_code as c', (j) => j.onRef('c.workflow_id', '=', 'w.id').on('c.is_active', '=', true))
      .select(['w.definition as saved', 'c.definition as deployed'])
      .where('w.org_id', '=', hook.org_id).where('w.id', '=', hook.workflow_id).executeTakeFirst());
    if (!wf) throw notFound('webhook', field);
    const node = triggerOf(wf.deployed ?? wf.saved);
    if (node?.kind !== 'trigger.webhook') {
      throw conflict('this workflow is not started by webhooks: its trigger node is not trigger.webhook', field, 'not_webhook_triggered');
    }
    const allowed = node.config['method'] === 'GET' ? 'GET' : 'POST';
    if (req.method !== allowed) {
      reply.header('allow', allowed);
      throw new ApiError(405, 'method_not_allowed', `this webhook accepts ${allowed} requests`, [{ field: '/method', code: 'method_not_allowed', message: `must be ${allowed}` }]);
    }

    const input = { method: req.method, headers: safeHeaders(req.headers), query: { ...(req.query as object) }, body: req.body ?? null };
    const client = await temporalClient(app);
    try {
      const started = await engineCall(() => startRun(app.db, client, caller, { workflowId: hook.workflow_id, input, channel: 'webhook' }),
        { notFound: field, state: field });
      return reply.code(202).send({ runId: started.runId, temporalWorkflowId: started.temporalWorkflowId, requestId: req.id });
    } catch (e) {
      if (e instanceof ApiError && e.status === 400) throw new ApiError(400, e.code, e.detail, e.errors.map((x) => ({ ...x, field: requestField(x.field) })));
      throw e;
    }
  };

  const schema = (summary: string, withParams: boolean) => ({
    tags: ['webhooks'], summary, security: [],
    ...(withParams ? { params: HookParams } : {}),
    response: { 202: HookAccepted, ...problemResponses },
  });
  const byPath = 'Start a run of a webhook-triggered workflow (no session: the token authorises). Input: { method, headers (content-type, user-agent, x-*), query, body }. 404 for unknown or revoked tokens';
  const byHeader = 'Same as /v1/hooks/{token}, with the token in the X-Webhook-Token header';

  app.post('/:token', { config, schema: schema(byPath, true) }, (req, reply) => trigger(req, reply, (req.params as { token: string }).token, '/params/token'));
  app.get('/:token', { config, schema: schema(`${byPath} (GET: for triggers configured with method GET)`, true) }, (req, reply) => trigger(req, reply, (req.params as { token: string }).token, '/params/token'));
  const headerToken = (req: FastifyRequest) => {
    const v = req.headers[TOKEN_HEADER];
    return Array.isArray(v) ? v[0] : v;
  };
  app.post('', { config, schema: schema(byHeader, false) }, (req, reply) => trigger(req, reply, headerToken(req), '/headers/x-webhook-token'));
  app.get('', { config, schema: schema(`${byHeader} (GET)`, false) }, (req, reply) => trigger(req, reply, headerToken(req), '/headers/x-webhook-token'));
};

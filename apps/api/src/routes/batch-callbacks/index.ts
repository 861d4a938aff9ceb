import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { completeBatchCallback } from '@workflow-builder/engine';
import { engineCall } from '../../lib/engine-errors.ts';
import { temporalClient } from '../../lib/engine-context.ts';
import { invalid } from '../../lib/problem.ts';
import { problemResponses } from '../../schemas/common.ts';
import { CallbackAccepted, CallbackBody, CallbackParams } from './schemas.ts';

/**
 * `/hooks/batch-callbacks/:token`: where the endpoints of async batch steps report back. No
 * session: the token (random, single use, stored hashed, valid until the step's callback
 * timeout) authorises; calls are limited per IP like webhooks. `{ result }` completes the step, `{ error }` fails it. 404 for unknown or
 * used tokens, 409 once the step stopped waiting (timed out, cancelled).
 */
/**
 * Largest callback body. The result travels to the waiting activity as a Temporal payload, whose
 * default limit is 2 MB: a body near the API's general 2 MiB limit would be refused by Temporal and
 * answered 503 again on every retry, where a clear 413 tells the endpoint what is wrong.
 */
export const MAX_CALLBACK_BYTES = 1024 * 1024;

export const batchCallbackRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const config = { public: true, rateLimit: { max: app.env.rateLimits.webhookPerIp.max, timeWindow: app.env.rateLimits.webhookPerIp.windowMs } };

  app.post('/:token', {
    config,
    bodyLimit: MAX_CALLBACK_BYTES,
    schema: {
      tags: ['batches'], security: [],
      summary: 'Callback of an async batch step: { result } completes it, { error } fails it (exactly one). The token comes from the callbackUrl the endpoint received',
      params: CallbackParams, body: CallbackBody, response: { 200: CallbackAccepted, ...problemResponses },
    },
  }, async (req) => {
    const { token } = req.params;
    const b = req.body;
    if ((b.result === undefined) === (b.error === undefined)) throw invalid('/', 'required', 'send exactly one of result and error');
    // A null error would otherwise read as "no error" further on and complete the step as succeeded.
    if (b.error === null) throw invalid('/error', 'invalid_type', 'must describe the failure (a message or JSON); send { result } when the step succeeded');
    const client = await temporalClient(app);
    return engineCall(() => completeBatchCallback(app.db, client, token, b), { notFound: '/params/token', state: '/params/token' });
  });
};

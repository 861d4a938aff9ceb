import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Client } from '@temporalio/client';
import type { Caller } from '@workflow-builder/db';
import type { RunChannel } from '@workflow-builder/engine';
import { callerOf } from '../plugins/auth.ts';
import { ApiError } from './problem.ts';

/**
 * What the engine needs from a request: the caller (the engine opens its own transactions as
 * them), a Temporal client, and the channel a run started from.
 */

/** The request's caller acting in `orgId`, with the request id (it becomes the run's request_id and WbRequestId). */
export function engineCaller(request: FastifyRequest, orgId: string): Caller {
  return { authUserId: callerOf(request).authUserId, orgId, requestId: request.id };
}

/** `web` for a browser session, `api` for API tokens and external identities. */
export const channelOf = (request: FastifyRequest): RunChannel => (callerOf(request).method === 'session' ? 'web' : 'api');

/** A Temporal client, or 503 when Temporal cannot be reached. */
export async function temporalClient(app: FastifyInstance): Promise<Client> {
  try {
    return await app.temporal.client();
  } catch {
    throw new ApiError(503, 'service_unavailable', 'Temporal is not reachable; retry shortly', [
      { field: '/', code: 'temporal_unavailable', message: 'Temporal is not reachable' },
    ]);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

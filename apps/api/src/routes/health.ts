import { Type } from 'typebox';
import { sql } from 'kysely';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problemResponses } from '../schemas/common.ts';

const Check = Type.Object({ ok: Type.Boolean(), error: Type.Optional(Type.String()) });
const HealthResponse = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]),
  postgres: Check,
  temporal: Type.Object({ ok: Type.Boolean(), address: Type.String(), namespace: Type.String() }),
});

/** Liveness of the API and the two services it stands on. */
export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', {
    schema: { tags: ['system'], summary: 'Health of the API, Postgres and Temporal', response: { 200: HealthResponse, 503: HealthResponse, '4xx': problemResponses['4xx'] } },
  }, async (_req, reply) => {
    const postgres = await sql`select 1`.execute(app.db).then(
      () => ({ ok: true }),
      (e: unknown) => ({ ok: false, error: e instanceof Error ? e.message : String(e) }),
    );
    const temporal = { ok: await app.temporal.healthy(), address: app.temporal.address, namespace: app.temporal.namespace };
    const ok = postgres.ok && temporal.ok;
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', postgres, temporal });
  });
};

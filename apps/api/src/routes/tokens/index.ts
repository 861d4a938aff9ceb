import { sql } from 'kysely';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { newApiToken, sha256 } from '../../lib/crypto.ts';
import { asUser, iso, isoRequired } from '../../lib/context.ts';
import { decodeCursor, toPage } from '../../lib/pagination.ts';
import { notFound } from '../../lib/problem.ts';
import { NoContent, problemResponses } from '../../schemas/common.ts';
import { ApiTokenPage, CreateApiTokenBody, CreatedApiToken, ListApiTokensQuery, TokenParams } from './schemas.ts';

interface TokenRow {
  id: string;
  name: string;
  token_prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date | null;
  cursor_ts?: string;
}

const toDto = (r: TokenRow) => ({
  id: r.id,
  name: r.name,
  tokenPrefix: r.token_prefix,
  createdAt: isoRequired(r.created_at),
  lastUsedAt: iso(r.last_used_at),
  expiresAt: iso(r.expires_at),
});

/** Personal API tokens of the signed-in user (stored as sha256; the token is shown once). */
export const tokenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('', {
    schema: { tags: ['auth'], summary: 'List my API tokens (never the tokens themselves)', querystring: ListApiTokensQuery, response: { 200: ApiTokenPage, ...problemResponses } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const cursor = decodeCursor(req.query.cursor);
    const { rows } = await asUser(app, req, (tx) => sql<TokenRow & { cursor_ts: string }>`
      select * from app.list_api_tokens(${limit + 1}, ${cursor?.ts ?? null}::timestamptz, ${cursor?.id ?? null}::uuid)`.execute(tx));
    return toPage(rows, limit, (r) => ({ ts: r.cursor_ts, id: r.id }), toDto);
  });

  app.post('', {
    schema: { tags: ['auth'], summary: 'Create an API token; the response is the only time it is shown', body: CreateApiTokenBody, response: { 201: CreatedApiToken, ...problemResponses } },
  }, async (req, reply) => {
    const token = newApiToken();
    const expires = req.body.expiresInDays === undefined ? null : new Date(Date.now() + req.body.expiresInDays * 86_400_000);
    const { rows } = await asUser(app, req, (tx) => sql<TokenRow>`
      select * from app.create_api_token(${req.body.name.trim()}, ${sha256(token)}, ${token.slice(0, 10)}, ${expires})`.execute(tx));
    return reply.code(201).send({ ...toDto(rows[0]!), token });
  });

  app.delete('/:tokenId', {
    schema: { tags: ['auth'], summary: 'Revoke one of my API tokens', params: TokenParams, response: { 204: NoContent, ...problemResponses } },
  }, async (req, reply) => {
    const { rows } = await asUser(app, req, (tx) => sql<{ revoked: boolean }>`select app.revoke_api_token(${req.params.tokenId}) as revoked`.execute(tx));
    app.callers.deleteWhere((c) => c.tokenId === req.params.tokenId);
    if (!rows[0]?.revoked) throw notFound('API token', '/params/tokenId');
    return reply.code(204).send(null);
  });
};

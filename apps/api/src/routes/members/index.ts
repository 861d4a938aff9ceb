import { sql } from 'kysely';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Tx } from '@workflow-builder/db';
import { inOrg, isoRequired } from '../../lib/context.ts';
import { afterCursor, cursorTs, decodeCursor, toPage } from '../../lib/pagination.ts';
import { ApiError, notFound } from '../../lib/problem.ts';
import { NoContent, OrgParams, problemResponses, type Role } from '../../schemas/common.ts';
import { AddMemberBody, ListMembersQuery, MemberPage, Member, MemberParams, UpdateMemberBody } from './schemas.ts';

const members = (tx: Tx, orgId: string) => tx.selectFrom('organization_members as m')
  .innerJoin('users as u', 'u.id', 'm.user_id')
  .innerJoin('user_roles as r', 'r.id', 'm.role_id')
  .select(['m.user_id', 'u.email', 'u.display_name', 'r.name as role', 'm.created_at', 'm.updated_at', cursorTs('m.created_at').as('cursor_ts')])
  .where('m.org_id', '=', orgId);

type MemberRow = { user_id: string; email: string; display_name: string | null; role: string; created_at: Date; updated_at: Date };
const toDto = (r: MemberRow) => ({
  userId: r.user_id, email: r.email, displayName: r.display_name, role: r.role as Role,
  createdAt: isoRequired(r.created_at), updatedAt: isoRequired(r.updated_at),
});
const roleId = (role: Role) => sql<string>`(select id from public.user_roles where name = ${role})`;

/** Members of an organisation: every member may list them; only admins add, re-role or remove. */
export const memberRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('', {
    schema: { tags: ['members'], summary: 'List the members of an organisation', params: OrgParams, querystring: ListMembersQuery, response: { 200: MemberPage, ...problemResponses } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const cursor = decodeCursor(req.query.cursor);
    const rows = await inOrg(app, req, req.params.orgId, 'read', (tx) => {
      let q = members(tx, req.params.orgId);
      if (req.query.role) q = q.where('r.name', '=', req.query.role);
      if (cursor) q = q.where(afterCursor(cursor, 'm.created_at', 'm.user_id'));
      return q.orderBy('m.created_at', 'desc').orderBy('m.user_id', 'desc').limit(limit + 1).execute();
    });
    return toPage(rows, limit, (r) => ({ ts: r.cursor_ts, id: r.user_id }), toDto);
  });

  app.post('', {
    schema: { tags: ['members'], summary: 'Add a signed-up user by email with a role (admin)', params: OrgParams, body: AddMemberBody, response: { 201: Member, ...problemResponses } },
  }, async (req, reply) => {
    const row = await inOrg(app, req, req.params.orgId, 'admin', async (tx) => {
      const found = await sql<{ id: string | null }>`select app.invitable_user_id(${req.body.email}) as id`.execute(tx);
      const userId = found.rows[0]?.id;
      if (!userId) {
        throw new ApiError(404, 'not_found', 'no user with this email has signed up', [{ field: '/email', code: 'unknown_user', message: 'no user with this email has signed up' }]);
      }
      await tx.insertInto('organization_members').values({ org_id: req.params.orgId, user_id: userId, role_id: roleId(req.body.role) }).execute();
      return members(tx, req.params.orgId).where('m.user_id', '=', userId).executeTakeFirstOrThrow();
    });
    return reply.code(201).send(toDto(row));
  });

  app.patch('/:userId', {
    schema: { tags: ['members'], summary: 'Change a member\'s role (admin); the last admin cannot be demoted', params: MemberParams, body: UpdateMemberBody, response: { 200: Member, ...problemResponses } },
  }, async (req) => {
    const row = await inOrg(app, req, req.params.orgId, 'admin', async (tx) => {
      const updated = await tx.updateTable('organization_members').set({ role_id: roleId(req.body.role) })
        .where('org_id', '=', req.params.orgId).where('user_id', '=', req.params.userId).returning('user_id').executeTakeFirst();
      if (!updated) throw notFound('member', '/params/userId');
      return members(tx, req.params.orgId).where('m.user_id', '=', req.params.userId).executeTakeFirstOrThrow();
    });
    return toDto(row);
  });

  app.delete('/:userId', {
    schema: { tags: ['members'], summary: 'Remove a member (admin); the last admin cannot be removed', params: MemberParams, response: { 204: NoContent, ...problemResponses } },
  }, async (req, reply) => {
    await inOrg(app, req, req.params.orgId, 'admin', async (tx) => {
      const deleted = await tx.deleteFrom('organization_members')
        .where('org_id', '=', req.params.orgId).where('user_id', '=', req.params.userId).returning('user_id').executeTakeFirst();
      if (!deleted) throw notFound('member', '/params/userId');
    });
    return reply.code(204).send(null);
  });
};

import { sql } from 'kysely';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Tx } from '@workflow-builder/db';
import { asUser, inOrg, isoRequired } from '../../lib/context.ts';
import { afterCursor, cursorTs, decodeCursor, toPage } from '../../lib/pagination.ts';
import { notFound } from '../../lib/problem.ts';
import { orgSlugFromName } from '../../lib/slug.ts';
import { problemResponses, type Role } from '../../schemas/common.ts';
import { CreateOrganizationBody, ListOrganizationsQuery, OrgParams, Organization, OrganizationPage, UpdateOrganizationBody } from './schemas.ts';

/** The caller's organisations (with their role), newest first. */
const myOrgs = (tx: Tx) => tx.selectFrom('organizations as o')
  .innerJoin('organization_members as m', (j) => j.onRef('m.org_id', '=', 'o.id').on('m.user_id', '=', sql<string>`app.current_user_id()`))
  .innerJoin('user_roles as r', 'r.id', 'm.role_id')
  .select(['o.id', 'o.name', 'o.slug', 'o.created_at', 'o.updated_at', 'r.name as role', cursorTs('o.created_at').as('cursor_ts')]);

type OrgRow = { id: string; name: string; slug: string; created_at: Date; updated_at: Date; role: string };
const toDto = (r: OrgRow) => ({
  id: r.id, name: r.name, slug: r.slug, role: r.role as Role, createdAt: isoRequired(r.created_at), updatedAt: isoRequired(r.updated_at),
});

/** Organisations: the caller's list, create (caller becomes admin), get, rename (admin). */
export const orgRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('', {
    schema: { tags: ['organizations'], summary: 'List the organisations I belong to', querystring: ListOrganizationsQuery, response: { 200: OrganizationPage, ...problemResponses } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const cursor = decodeCursor(req.query.cursor);
    const rows = await asUser(app, req, (tx) => {
      let q = myOrgs(tx);
      if (cursor) q = q.where(afterCursor(cursor, 'o.created_at', 'o.id'));
      return q.orderBy('o.created_at', 'desc').orderBy('o.id', 'desc').limit(limit + 1).execute();
    });
    return toPage(rows, limit, (r) => ({ ts: r.cursor_ts, id: r.id }), toDto);
  });

  app.post('', {
    schema: { tags: ['organizations'], summary: 'Create an organisation; I become its admin', body: CreateOrganizationBody, response: { 201: Organization, ...problemResponses } },
  }, async (req, reply) => {
    const name = req.body.name.trim();
    const row = await asUser(app, req, async (tx) => {
      const created = await sql<{ id: string }>`select app.create_organization(${name}, ${req.body.slug ?? orgSlugFromName(name)}, ${req.body.slug !== undefined}) as id`.execute(tx);
      return myOrgs(tx).where('o.id', '=', created.rows[0]!.id).executeTakeFirstOrThrow();
    });
    return reply.code(201).send(toDto(row));
  });

  app.get('/:orgId', {
    schema: { tags: ['organizations'], summary: 'Get an organisation I belong to', params: OrgParams, response: { 200: Organization, ...problemResponses } },
  }, async (req) => {
    const row = await inOrg(app, req, req.params.orgId, 'read', (tx) => myOrgs(tx).where('o.id', '=', req.params.orgId).executeTakeFirst());
    if (!row) throw notFound('organisation', '/params/orgId');
    return toDto(row);
  });

  app.patch('/:orgId', {
    schema: { tags: ['organizations'], summary: 'Rename an organisation (admin)', params: OrgParams, body: UpdateOrganizationBody, response: { 200: Organization, ...problemResponses } },
  }, async (req) => {
    const row = await inOrg(app, req, req.params.orgId, 'admin', async (tx) => {
      const updated = await tx.updateTable('organizations')
        .set({ ...(req.body.name !== undefined ? { name: req.body.name.trim() } : {}), ...(req.body.slug !== undefined ? { slug: req.body.slug } : {}) })
        .where('id', '=', req.params.orgId).returning('id').executeTakeFirst();
      if (!updated) throw notFound('organisation', '/params/orgId');
      return myOrgs(tx).where('o.id', '=', req.params.orgId).executeTakeFirstOrThrow();
    });
    return toDto(row);
  });
};

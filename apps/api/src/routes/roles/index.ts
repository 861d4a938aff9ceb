import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { asUser } from '../../lib/context.ts';
import { problemResponses, type Role } from '../../schemas/common.ts';
import { RoleList } from './schemas.ts';

/** The organisation roles (admin, developer, viewer): a small lookup table. */
export const roleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('', {
    schema: { tags: ['members'], summary: 'List the roles a member can have', response: { 200: RoleList, ...problemResponses } },
  }, async (req) => {
    const rows = await asUser(app, req, (tx) => tx.selectFrom('user_roles').select(['id', 'name', 'description', 'permissions']).orderBy('name').execute());
    return {
      items: rows.map((r) => ({
        id: r.id,
        name: r.name as Role,
        description: r.description,
        permissions: Object.fromEntries(Object.entries((r.permissions ?? {}) as Record<string, unknown>).map(([k, v]) => [k, v === true])),
      })),
    };
  });
};

import { withClient } from '@workflow-builder/devstack';

export const DEMO_CREDENTIALS = { email: 'demo@example.com', password: 'demo-password' } as const;
export const DEMO_ORG_SLUG = 'demo';

/**
 * Idempotent demo data for `npm start`: an organisation with an admin and a viewer.
 * Runs as the owner, once per start; existing rows are left alone.
 */
export async function seedDemo(adminUrl: string): Promise<void> {
  await withClient(adminUrl, async (c) => {
    await c.query('begin');
    try {
      const user = async (email: string, name: string) => {
        const existing = await c.query('select id, auth_user_id from public.users where email = $1', [email]);
        if (existing.rowCount) return existing.rows[0].id as string;
        const auth = await c.query('insert into auth.users (email) values ($1) returning id', [email]);
        const u = await c.query(
          "insert into public.users (auth_user_id, email, display_name, role_id) values ($1, $2, $3, (select id from public.user_roles where name = 'developer')) returning id",
          [auth.rows[0].id, email, name],
        );
        return u.rows[0].id as string;
      };
      const adminId = await user(DEMO_CREDENTIALS.email, 'Demo Admin');
      const viewerId = await user('viewer@example.com', 'Demo Viewer');
      const org = await c.query(
        `insert into public.organizations (name, slug, created_by) values ('Demo organisation', $1, $2)
         on conflict (slug) do update set slug = excluded.slug returning id`,
        [DEMO_ORG_SLUG, adminId],
      );
      const orgId = org.rows[0].id as string;
      for (const [uid, role] of [[adminId, 'admin'], [viewerId, 'viewer']] as const) {
        await c.query(
          `insert into public.organization_members (org_id, user_id, role_id)
           values ($1, $2, (select id from public.user_roles where name = $3)) on conflict do nothing`,
          [orgId, uid, role],
        );
      }
      await c.query('commit');
    } catch (e) {
      await c.query('rollback');
      throw e;
    }
  });
}

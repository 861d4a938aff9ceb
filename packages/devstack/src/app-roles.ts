import { withClient } from './postgres.ts';

/** Login roles the apps connect as. Cluster-wide, so created here rather than in migrations. */
export const APP_ROLES = {
  /** The API: owns nothing, may only `set role authenticated` and act under row-level security. */
  api: { name: 'wb_api', password: 'wb_api', grants: ['anon', 'authenticated'] },
  /** The worker manager: a trusted back-end process acting as Supabase's service_role. */
  worker: { name: 'wb_worker', password: 'wb_worker', grants: ['service_role'] },
} as const;

const quoteLiteral = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * Creates (or updates) the apps' login roles and grants them the Supabase-style roles.
 * NOINHERIT: the login role itself has no table privileges; it must switch role first.
 * Needs the roles from the compat migration, so call it after migrating.
 */
export async function ensureAppRoles(adminUrl: string): Promise<void> {
  await withClient(adminUrl, async (c) => {
    for (const role of Object.values(APP_ROLES)) {
      const exists = await c.query('select 1 from pg_roles where rolname = $1', [role.name]);
      const verb = exists.rowCount ? 'alter' : 'create';
      await c.query(`${verb} role ${role.name} login noinherit password ${quoteLiteral(role.password)}`);
      for (const g of role.grants) await c.query(`grant ${g} to ${role.name}`);
    }
  });
}

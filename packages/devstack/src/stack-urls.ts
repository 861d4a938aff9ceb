import { APP_ROLES } from './app-roles.ts';
import { withCredentials, withDatabase } from './postgres.ts';

export interface DatabaseUrls {
  /** Owner connection: migrations, seeding, test setup. */
  admin: string;
  /** The API's non-owner role (row-level security applies). */
  api: string;
  /** The worker's role (acts as service_role). */
  worker: string;
}

/** The three connection URLs of one database, given any superuser/owner URL on its server. */
export function databaseUrls(adminServerUrl: string, database: string): DatabaseUrls {
  const admin = withDatabase(adminServerUrl, database);
  return {
    admin,
    api: withCredentials(admin, APP_ROLES.api.name, APP_ROLES.api.password),
    worker: withCredentials(admin, APP_ROLES.worker.name, APP_ROLES.worker.password),
  };
}

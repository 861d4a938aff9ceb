import fp from 'fastify-plugin';
import { createDb, type Database } from '@workflow-builder/db';
import type { ApiEnv } from '../env.ts';
import { TemporalService } from '../services/temporal.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
    temporal: TemporalService;
    env: ApiEnv;
  }
}

/** App services every route uses: the database (as the API's non-owner role) and Temporal. */
export const servicesPlugin = fp<{ env: ApiEnv }>(async (app, { env }) => {
  const db = createDb(env.databaseUrl, { max: 20, applicationName: 'workflow-builder-api' });
  const temporal = new TemporalService(env.temporalAddress, env.temporalNamespace);
  app.decorate('db', db);
  app.decorate('temporal', temporal);
  app.decorate('env', env);
  app.addHook('onClose', async () => {
    await temporal.close();
    await db.destroy();
  });
}, { name: 'services' });

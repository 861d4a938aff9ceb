import Fastify, { type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { ApiEnv } from './env.ts';
import { servicesPlugin } from './plugins/services.ts';
import { healthRoutes } from './routes/health.ts';

/**
 * Builds the API. Plugins load in a fixed order: external, then app services, then routes.
 *
 * @example
 * const app = await buildApp(readEnv()); await app.listen({ port: 3000 });
 */
export async function buildApp(env: ApiEnv, opts: { logger?: boolean } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger === false ? false : { level: env.logLevel },
    genReqId: () => crypto.randomUUID(),
    requestIdHeader: 'x-request-id',
    bodyLimit: 2 * 1024 * 1024,
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(servicesPlugin, { env });
  await app.register(healthRoutes);
  return app;
}

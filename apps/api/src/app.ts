import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { ApiEnv } from './env.ts';
import { buildValidatorFactory } from './lib/validator.ts';
import { ApiError } from './lib/problem.ts';
import { errorsPlugin, frameworkErrors } from './plugins/errors.ts';
import { inputGuardsPlugin } from './plugins/input-guards.ts';
import { servicesPlugin } from './plugins/services.ts';
import { authPlugin, type IdentityResolver } from './plugins/auth.ts';
import { registerCommonSchemas } from './schemas/common.ts';
import { linkStoredDefinitions, registerDefinitionSchemas } from './schemas/definition.ts';
import { healthRoutes } from './routes/health.ts';
import { v1Routes } from './routes/index.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered, in order (for the OpenAPI test and debugging). */
    registeredRoutes: Array<Pick<RouteOptions, 'method' | 'url' | 'schema'>>;
  }
}

export interface BuildOptions {
  logger?: boolean;
  /** Extra bearer-token resolvers (external identity providers); see README. */
  identityResolvers?: IdentityResolver[];
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Builds the API. Plugins load in a fixed order: external (cookie, rate limit, OpenAPI), then
 * app services (db, temporal, auth), then routes grouped by resource under `/v1`.
 *
 * @example
 * const app = await buildApp(readEnv()); await app.listen({ port: 3000 });
 */
export async function buildApp(env: ApiEnv, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger === false ? false : {
      level: env.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    },
    // A client's x-request-id is honoured when it is a sane token, else a uuid is generated.
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    bodyLimit: 2 * 1024 * 1024,
    trustProxy: env.trustProxy,
    routerOptions: { maxParamLength: 200 },
    frameworkErrors,
    schemaController: { compilersFactory: { buildValidator: buildValidatorFactory() } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // JSON only: a text/plain body would otherwise reach validation as a string.
  app.removeContentTypeParser('text/plain');
  app.decorate('registeredRoutes', []);
  app.addHook('onRoute', (route) => {
    app.registeredRoutes.push({ method: route.method, url: route.url, schema: route.schema });
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  await app.register(errorsPlugin);
  await app.register(inputGuardsPlugin);

  // External plugins.
  await app.register(cookie);
  await app.register(rateLimit, {
    global: true,
    max: env.rateLimits.global.max,
    timeWindow: env.rateLimits.global.windowMs,
    errorResponseBuilder: (_req, ctx) =>
      new ApiError(429, 'rate_limited', `too many requests; retry in ${ctx.after}`, [{ field: '/', code: 'rate_limited', message: `limit of ${ctx.max} requests reached` }]),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Workflow Builder API',
        version: '1.0.0',
        description: 'Organisations, projects, components, agent prompts and workflows. Errors are application/problem+json.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'wb_session' },
          apiToken: { type: 'http', scheme: 'bearer', description: 'Personal API token (wbt_...)' },
        },
      },
      security: [{ session: [] }, { apiToken: [] }],
    },
    // Shared schemas keep their $id as the component name (#/components/schemas/WorkflowDefinition).
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    transformObject: (doc) => linkStoredDefinitions('openapiObject' in doc ? doc.openapiObject : doc.swaggerObject),
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  registerCommonSchemas(app);
  registerDefinitionSchemas(app);

  // App services.
  await app.register(servicesPlugin, { env });
  await app.register(authPlugin, { resolvers: opts.identityResolvers ?? [] });
  if (env.secretKeySource === 'dev') {
    app.log.warn('WB_SECRET_KEY is not set: project secrets are encrypted with the fixed development key. Set WB_SECRET_KEY (64 hex characters) outside development.');
  }

  // Routes.
  await app.register(healthRoutes);
  await app.register(v1Routes, { prefix: '/v1' });
  return app;
}

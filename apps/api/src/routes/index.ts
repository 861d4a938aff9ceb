import type { FastifyPluginAsync } from 'fastify';
import { authRoutes } from './auth/index.ts';
import { tokenRoutes } from './tokens/index.ts';
import { roleRoutes } from './roles/index.ts';
import { orgRoutes } from './orgs/index.ts';
import { memberRoutes } from './members/index.ts';
import { projectRoutes } from './projects/index.ts';
import { secretRoutes } from './secrets/index.ts';
import { workerRoutes } from './workers/index.ts';
import { componentRoutes } from './components/index.ts';
import { agentPromptRoutes } from './agent-prompts/index.ts';
import { workflowRoutes } from './workflows/index.ts';
import { templateRoutes } from './templates/index.ts';
import { statisticsRoutes } from './statistics/index.ts';
import { deploymentRoutes } from './deployments/index.ts';
import { runRoutes, workflowRunRoutes } from './runs/index.ts';
import { webhookRoutes } from './webhooks/index.ts';
import { scheduleRoutes } from './schedules/index.ts';
import { hookRoutes } from './hooks/index.ts';
import { enrichmentRegistryRoutes } from './enrichment-registry/index.ts';
import { batchRoutes } from './batches/index.ts';
import { batchCallbackRoutes } from './batch-callbacks/index.ts';
import { clientRoutes } from './clients/index.ts';
import { clientConfigRoutes } from './client-configs/index.ts';
import { workflowConfigRoutes } from './workflow-configs/index.ts';
import { favoriteRoutes } from './favorites/index.ts';

/**
 * Every `/v1` resource, one folder each (folder = URL). Organisation-scoped resources live
 * under `/orgs/:orgId`: the handler passes orgId into the caller's claims and RLS isolates it.
 */
export const v1Routes: FastifyPluginAsync = async (app) => {
  await app.register(authRoutes, { prefix: '/auth' });
  await app.register(tokenRoutes, { prefix: '/auth/tokens' });
  await app.register(roleRoutes, { prefix: '/roles' });
  await app.register(orgRoutes, { prefix: '/orgs' });
  await app.register(memberRoutes, { prefix: '/orgs/:orgId/members' });
  await app.register(projectRoutes, { prefix: '/orgs/:orgId/projects' });
  await app.register(secretRoutes, { prefix: '/orgs/:orgId/projects/:projectId/secrets' });
  await app.register(workerRoutes, { prefix: '/orgs/:orgId/projects/:projectId/workers' });
  await app.register(componentRoutes, { prefix: '/orgs/:orgId/components' });
  await app.register(agentPromptRoutes, { prefix: '/orgs/:orgId/agent-prompts' });
  await app.register(workflowRoutes, { prefix: '/orgs/:orgId/workflows' });
  await app.register(templateRoutes, { prefix: '/orgs/:orgId/templates' });
  await app.register(deploymentRoutes, { prefix: '/orgs/:orgId/workflows/:workflowId' });
  await app.register(workflowRunRoutes, { prefix: '/orgs/:orgId/workflows/:workflowId/runs' });
  await app.register(webhookRoutes, { prefix: '/orgs/:orgId/workflows/:workflowId/webhooks' });
  await app.register(scheduleRoutes, { prefix: '/orgs/:orgId/workflows/:workflowId/schedules' });
  await app.register(runRoutes, { prefix: '/orgs/:orgId/runs' });
  await app.register(clientRoutes, { prefix: '/orgs/:orgId/clients' });
  await app.register(clientConfigRoutes, { prefix: '/orgs/:orgId/clients/:clientId/configs' });
  await app.register(workflowConfigRoutes, { prefix: '/orgs/:orgId/workflows/:workflowId' });
  await app.register(favoriteRoutes, { prefix: '/orgs/:orgId/workflows/:workflowId/favorite' });
  await app.register(statisticsRoutes, { prefix: '/orgs/:orgId/statistics' });
  await app.register(enrichmentRegistryRoutes, { prefix: '/orgs/:orgId/enrichment-registry' });
  await app.register(batchRoutes, { prefix: '/orgs/:orgId/batches' });
  // Public: webhook calls carry a token, not a session.
  await app.register(hookRoutes, { prefix: '/hooks' });
  // Public: async batch steps report back with a single-use token.
  await app.register(batchCallbackRoutes, { prefix: '/hooks/batch-callbacks' });
};

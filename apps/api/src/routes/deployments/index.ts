import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { compileAndStore, deployWorkflow, exportProjectZip, syncWorkflowSchedule, undeployWorkflow, type CompiledVersion, type ScheduleState } from '@workflow-builder/engine';
import type { Tx } from '@workflow-builder/db';
import { inOrg, iso, isoRequired, optionalBody } from '../../lib/context.ts';
import { engineCall } from '../../lib/engine-errors.ts';
import { sleep } from '../../lib/engine-context.ts';
import { notFound } from '../../lib/problem.ts';
import { EmptyBody, NoContent, problemResponses } from '../../schemas/common.ts';
import { WorkflowParams } from '../workflows/schemas.ts';
import { findWorkflow } from '../workflows/store.ts';
import { CompileResult, Compiled, DeployQuery, DeployResult, VersionQuery, ZipFile } from './schemas.ts';

/**
 * Compiles, deploys (compile + activate) or undeploys a workflow the caller can see and write,
 * through the engine, in the caller's transaction. A definition with problems is a 422 whose
 * errors point into the saved definition (`/definition/nodes/2/config/url`) and name the node.
 */
async function compileIn<T>(tx: Tx, orgId: string, workflowId: string, fn: (workflowId: string) => Promise<T>): Promise<T> {
  const wf = await findWorkflow(tx, orgId, workflowId);
  return engineCall(() => fn(wf.id), { notFound: '/params/workflowId', state: '/params/workflowId', definition: wf.definition });
}

/** Polls until the worker manager marks the version picked up, at most `ms`. */
/**
 * Mirrors the workflow's schedule trigger to Temporal after a deploy, undeploy or status change has
 * committed (Temporal is not part of the database transaction).
 */
export async function syncSchedule(app: FastifyInstance, req: FastifyRequest, orgId: string, workflowId: string): Promise<ScheduleState | null> {
  return inOrg(app, req, orgId, 'write', (tx) => engineCall(() => syncWorkflowSchedule(tx, () => app.temporal.client(), workflowId), {}));
}

async function waitForPickup(app: FastifyInstance, req: FastifyRequest, orgId: string, workflowId: string, version: number, ms: number): Promise<Date | null> {
  const deadline = Date.now() + ms;
  for (;;) {
    const row = await inOrg(app, req, orgId, 'read', (tx) => tx.selectFrom('workflow_compiled_code').select('picked_up_at')
      .where('org_id', '=', orgId).where('workflow_id', '=', workflowId).where('version', '=', version).executeTakeFirst());
    if (row?.picked_up_at) return row.picked_up_at instanceof Date ? row.picked_up_at : new Date(row.picked_up_at);
    const left = deadline - Date.now();
    if (left <= 0 || req.raw.destroyed) return null;
    await sleep(Math.min(200, left));
  }
}

const compileDto = (c: CompiledVersion) => ({ version: c.version, workflowType: c.workflowType, contentHash: c.contentHash, reused: c.reused });

export const deploymentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/compile', {
    preValidation: optionalBody,
    schema: {
      tags: ['deployments'],
      summary: 'Compile the saved definition into a new version (not activated); identical code reuses the latest version. Problems: 422 with nodeId and field',
      params: WorkflowParams, body: EmptyBody, response: { 200: CompileResult, ...problemResponses },
    },
  }, async (req) => {
    const c = await inOrg(app, req, req.params.orgId, 'write', (tx, ctx) => compileIn(tx, ctx.orgId, req.params.workflowId, (id) => compileAndStore(tx, id)));
    return { ...compileDto(c), files: c.compiled.files };
  });

  app.post('/deploy', {
    preValidation: optionalBody,
    schema: {
      tags: ['deployments'],
      summary: 'Compile and activate in one transaction, then wait (?wait= seconds, default 15) until a worker serves the version; pickedUp false when it did not within the wait',
      params: WorkflowParams, querystring: DeployQuery, body: EmptyBody, response: { 200: DeployResult, ...problemResponses },
    },
  }, async (req) => {
    const { orgId, workflowId } = req.params;
    const c = await inOrg(app, req, orgId, 'write', (tx, ctx) => compileIn(tx, ctx.orgId, workflowId, (id) => deployWorkflow(tx, id)));
    const waitMs = req.query.wait !== undefined ? req.query.wait * 1000 : app.env.deployWaitMs;
    const schedule = await syncSchedule(app, req, orgId, workflowId);
    const pickedUpAt = await waitForPickup(app, req, orgId, workflowId, c.version, waitMs);
    return { ...compileDto(c), pickedUp: pickedUpAt !== null, pickedUpAt: iso(pickedUpAt), schedule };
  });

  app.post('/undeploy', {
    preValidation: optionalBody,
    schema: {
      tags: ['deployments'],
      summary: 'Deactivate the active version: new runs are refused (409 not_deployed); runs in flight finish on their version',
      params: WorkflowParams, body: EmptyBody, response: { 204: NoContent, ...problemResponses },
    },
  }, async (req, reply) => {
    await inOrg(app, req, req.params.orgId, 'write', (tx, ctx) => compileIn(tx, ctx.orgId, req.params.workflowId, (id) => undeployWorkflow(tx, id)));
    await syncSchedule(app, req, req.params.orgId, req.params.workflowId);
    return reply.code(204).send(null);
  });

  app.get('/compiled', {
    schema: {
      tags: ['deployments'],
      summary: 'The active compiled version (or ?version=): generated files, the definition it was built from, and when a worker picked it up',
      params: WorkflowParams, querystring: VersionQuery, response: { 200: Compiled, ...problemResponses },
    },
  }, async (req) => {
    const version = req.query.version;
    const row = await inOrg(app, req, req.params.orgId, 'read', async (tx, ctx) => {
      const wf = await findWorkflow(tx, ctx.orgId, req.params.workflowId);
      let q = tx.selectFrom('workflow_compiled_code').selectAll().where('org_id', '=', ctx.orgId).where('workflow_id', '=', wf.id);
      q = version === undefined ? q.where('is_active', '=', true) : q.where('version', '=', version);
      return q.executeTakeFirst();
    });
    if (!row) throw version === undefined ? notFound('deployed version', '/params/workflowId') : notFound('version', '/query/version');
    return {
      version: row.version,
      workflowType: row.workflow_type ?? '',
      contentHash: row.content_hash,
      isActive: row.is_active,
      compiledAt: isoRequired(row.compiled_at),
      pickedUpAt: iso(row.picked_up_at),
      files: {
        workflowCode: row.workflow_code, activitiesCode: row.activities_code ?? '', workerCode: row.worker_code ?? '',
        packageJson: row.package_json ?? '', tsconfigJson: row.tsconfig_json ?? '',
      },
      definition: (row.definition ?? null) as never,
    };
  });

  app.get('/export', {
    schema: {
      tags: ['deployments'],
      summary: 'Download the active version (or ?version=) as a standalone project (.zip)',
      params: WorkflowParams, querystring: VersionQuery,
      response: { 200: { description: 'The project archive', content: { 'application/zip': { schema: ZipFile } } }, ...problemResponses },
    },
  }, async (req, reply) => {
    const version = req.query.version;
    const { fileName, zip } = await inOrg(app, req, req.params.orgId, 'read', async (tx, ctx) => {
      const wf = await findWorkflow(tx, ctx.orgId, req.params.workflowId);
      return engineCall(() => exportProjectZip(tx, wf.id, version), { notFound: version === undefined ? '/params/workflowId' : '/query/version' });
    });
    // kebab-name-v3.zip: [a-z0-9-.] only, safe inside the quotes.
    const safeName = fileName.replace(/[^A-Za-z0-9._-]/g, '_');
    return reply
      .type('application/zip')
      .header('content-disposition', `attachment; filename="${safeName}"`)
      .header('cache-control', 'private, no-store')
      .send(Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength) as never);
  });
};

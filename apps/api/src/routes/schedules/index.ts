import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Client } from '@temporalio/client';
import type { Tx } from '@workflow-builder/db';
import {
  createSchedule, deleteSchedule, getSchedule, listSchedules, setSchedulePaused, triggerSchedule, updateSchedule,
} from '@workflow-builder/engine';
import { inOrg, optionalBody, type Access } from '../../lib/context.ts';
import { engineCall } from '../../lib/engine-errors.ts';
import { EmptyBody, NoContent, problemResponses } from '../../schemas/common.ts';
import { WorkflowParams } from '../workflows/schemas.ts';
import { findWorkflow } from '../workflows/store.ts';
import { CreateScheduleBody, Schedule, ScheduleList, ScheduleParams, ScheduleTriggered, UpdateScheduleBody } from './schemas.ts';

/** Runs an engine schedule call on a workflow the caller can see, mapping engine errors onto the request's fields. */
function onWorkflow<T>(
  app: FastifyInstance, req: FastifyRequest, access: Access,
  fn: (tx: Tx, getClient: () => Promise<Client>, workflowId: string) => Promise<T>,
): Promise<T> {
  const params = req.params as { orgId: string; workflowId: string; scheduleId?: string };
  return inOrg(app, req, params.orgId, access, async (tx, ctx) => {
    const wf = await findWorkflow(tx, ctx.orgId, params.workflowId);
    return engineCall(() => fn(tx, () => app.temporal.client(), wf.id), {
      notFound: params.scheduleId !== undefined ? '/params/scheduleId' : '/params/workflowId',
      state: '/params/workflowId',
      input: '/',
    });
  });
}

/**
 * `/orgs/:orgId/workflows/:workflowId/schedules`: the workflow's Temporal Schedules. The deployed
 * trigger.schedule node's schedule is listed first (`source: trigger`; its cron and time zone come
 * from the node, its paused state and max runs from here, and deploys keep both); more can be added
 * here (`source: api`) and survive redeploys. Each write changes the row and Temporal's schedule in
 * one transaction: if Temporal refuses or cannot be reached, nothing is saved.
 */
export const scheduleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('', {
    schema: {
      tags: ['schedules'], summary: 'List the workflow\'s schedules with their next fire times (Temporal\'s, else computed), recent actions and remaining runs',
      params: WorkflowParams, response: { 200: ScheduleList, ...problemResponses },
    },
  }, async (req) => ({ items: await onWorkflow(app, req, 'read', (tx, c, id) => listSchedules(tx, c, id)) }));

  app.post('', {
    schema: {
      tags: ['schedules'], summary: 'Add a schedule to a deployed workflow (409 when not deployed); invalid cron or time zone: 400 naming the field with the parser\'s reason',
      params: WorkflowParams, body: CreateScheduleBody, response: { 201: Schedule, ...problemResponses },
    },
  }, async (req, reply) => {
    const b = req.body;
    const view = await onWorkflow(app, req, 'write', (tx, c, id) => createSchedule(tx, c, id, {
      cron: b.cron, timezone: b.timezone ?? 'UTC', startImmediately: b.startImmediately ?? false, maxRuns: b.maxRuns ?? null, paused: b.paused ?? false,
    }));
    return reply.code(201).send(view);
  });

  app.get('/:scheduleId', {
    schema: { tags: ['schedules'], summary: 'One schedule', params: ScheduleParams, response: { 200: Schedule, ...problemResponses } },
  }, async (req) => onWorkflow(app, req, 'read', (tx, c, id) => getSchedule(tx, c, id, req.params.scheduleId)));

  app.patch('/:scheduleId', {
    schema: {
      tags: ['schedules'], summary: 'Change cron, time zone, max runs (restarts the remaining count) or paused; the trigger node\'s cron and time zone are changed in the editor',
      params: ScheduleParams, body: UpdateScheduleBody, response: { 200: Schedule, ...problemResponses },
    },
  }, async (req) => {
    const { cron, timezone, startImmediately, maxRuns, paused } = req.body;
    const patch = Object.fromEntries(Object.entries({ cron, timezone, startImmediately, maxRuns, paused }).filter(([, v]) => v !== undefined));
    return onWorkflow(app, req, 'write', (tx, c, id) => updateSchedule(tx, c, id, req.params.scheduleId, patch));
  });

  for (const [path, paused] of [['/pause', true], ['/unpause', false]] as const) {
    app.post(`/:scheduleId${path}`, {
      preValidation: optionalBody,
      schema: {
        tags: ['schedules'], summary: paused ? 'Pause the schedule (kept paused across deploys)' : 'Resume the schedule',
        params: ScheduleParams, body: EmptyBody, response: { 200: Schedule, ...problemResponses },
      },
    }, async (req) => onWorkflow(app, req, 'write', (tx, c, id) => setSchedulePaused(tx, c, id, req.params.scheduleId, paused)));
  }

  app.post('/:scheduleId/trigger', {
    preValidation: optionalBody,
    schema: {
      tags: ['schedules'], summary: 'Start one run now through the schedule (does not use up a remaining run); 409 when the workflow is paused or not deployed',
      params: ScheduleParams, body: EmptyBody, response: { 202: ScheduleTriggered, ...problemResponses },
    },
  }, async (req, reply) => {
    await onWorkflow(app, req, 'write', (tx, c, id) => triggerSchedule(tx, c, id, req.params.scheduleId));
    return reply.code(202).send({ scheduleId: req.params.scheduleId, triggeredAt: new Date().toISOString() });
  });

  app.delete('/:scheduleId', {
    schema: {
      tags: ['schedules'], summary: 'Delete a schedule added through the API (the trigger node\'s goes with the node)',
      params: ScheduleParams, response: { 204: NoContent, ...problemResponses },
    },
  }, async (req, reply) => {
    await onWorkflow(app, req, 'write', (tx, c, id) => deleteSchedule(tx, c, id, req.params.scheduleId));
    return reply.code(204).send(null);
  });
};

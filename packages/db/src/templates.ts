import { sql } from 'kysely';
import type { WorkflowDefinition, WorkflowEdge, WorkflowNode } from '@workflow-builder/definition';
import type { Database } from './connection.ts';

/**
 * A workflow template shipped with the product: a `workflow_templates` row with org_id null
 * (public, read-only). `definition` is a complete workflow definition that `POST
 * .../templates/:templateId/instantiate` copies into a new workflow.
 */
export interface BuiltinTemplate {
  /** Readable kebab-case id, stable across releases (user_workflows.template_id points at it). */
  id: string;
  name: string;
  /** What the workflow achieves, in one or two sentences. */
  goal: string;
  category: string;
  /** What it does, step by step (for the template picker). */
  steps: string[];
  /** When it branches or stops early. */
  conditions: string[];
  /** What a run returns. */
  outputs: string[];
  definition: WorkflowDefinition;
}

const at = (column: number, row = 0) => ({ x: column * 260, y: row * 160 });
const node = (id: string, kind: string, label: string, config: Record<string, unknown>, position: { x: number; y: number }, extra: Partial<WorkflowNode> = {}): WorkflowNode =>
  ({ id, kind, label, config, position, ...extra });
/** Edges `[source, target, sourceHandle?]`, ids e1, e2, ... */
const edges = (...list: Array<[string, string, string?]>): WorkflowEdge[] =>
  list.map(([source, target, sourceHandle], i) => ({ id: `e${i + 1}`, source, target, ...(sourceHandle ? { sourceHandle } : {}) }));

/**
 * The built-in templates. Each is a valid `WorkflowDefinition` (checked by templates.test.ts);
 * example.com URLs are placeholders to replace after instantiating.
 *
 * @example
 * builtinTemplates.find((t) => t.id === 'approval-with-timeout')?.definition
 */
export const builtinTemplates: readonly BuiltinTemplate[] = [
  {
    id: 'webhook-to-chat-notification',
    name: 'Webhook to chat notification',
    goal: 'Post a message to a Slack-style incoming webhook whenever another system calls this workflow\'s webhook.',
    category: 'notifications',
    steps: ['Receive a webhook call', 'Format the message text', 'POST it to the chat webhook URL given in the call'],
    conditions: ['The chat service must answer 2xx, else the request is retried'],
    outputs: ['status: the HTTP status returned by the chat service'],
    definition: {
      schemaVersion: 1,
      inputSchema: {
        type: 'object',
        title: 'Webhook call',
        properties: {
          body: {
            type: 'object',
            properties: {
              notifyUrl: { type: 'string', format: 'uri', title: 'Chat webhook URL' },
              message: { type: 'string', title: 'Message', maxLength: 4_000 },
            },
            required: ['notifyUrl', 'message'],
          },
        },
      },
      nodes: [
        node('hook', 'trigger.webhook', 'Incoming webhook', { method: 'POST', description: 'Send { notifyUrl, message }.' }, at(0)),
        node('format', 'transform', 'Format message', { mapping: { text: ':bell: {{ input.body.message }}' } }, at(1)),
        node('post', 'http.request', 'Post to chat', {
          url: '{{ input.body.notifyUrl }}',
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{{ steps.format.output }}',
          responseType: 'text',
        }, at(2), { retry: { maximumAttempts: 3, initialIntervalMs: 1_000, backoffCoefficient: 2 } }),
        node('done', 'output.end', 'Done', { output: { status: '{{ steps.post.output.status }}' } }, at(3)),
      ],
      edges: edges(['hook', 'format'], ['format', 'post'], ['post', 'done']),
    },
  },
  {
    id: 'approval-with-timeout',
    name: 'Approval with timeout',
    goal: 'Ask a person to approve or reject a request, and fall back to a rejection when nobody answers within a day.',
    category: 'approvals',
    steps: ['Start with the request to approve', 'Wait for the "approve" signal (24 hours at most)', 'Record the decision'],
    conditions: ['Signal received: the reviewer\'s decision', 'No signal within 24 hours: rejected as timed out'],
    outputs: ['decision: approve, reject or timeout', 'comment: the reviewer\'s comment, if any'],
    definition: {
      schemaVersion: 1,
      inputSchema: {
        type: 'object',
        properties: { request: { type: 'string', title: 'What needs approval', maxLength: 2_000 } },
        required: ['request'],
      },
      signals: [{
        name: 'approve',
        description: 'A reviewer approves or rejects the request.',
        parametersSchema: {
          type: 'object',
          properties: { decision: { type: 'string', enum: ['approve', 'reject'] }, comment: { type: 'string', maxLength: 1_000 } },
          required: ['decision'],
        },
      }],
      nodes: [
        node('start', 'trigger.manual', 'Start', {}, at(0)),
        node('wait', 'signal.wait', 'Wait for a reviewer', { signalName: 'approve', timeoutSeconds: 86_400, description: 'Approve or reject the request.' }, at(1)),
        node('decided', 'transform', 'Decided', {
          mapping: { decision: '{{ steps.wait.output.decision }}', comment: '{{ steps.wait.output.comment }}' },
        }, at(2, -1)),
        node('timed_out', 'transform', 'Timed out', { mapping: { decision: 'timeout', comment: 'No answer within 24 hours.' } }, at(2, 1)),
        node('done', 'output.end', 'Done', {
          output: {
            request: '{{ input.request }}',
            decision: '{{ $exists(steps.decided.output) ? steps.decided.output.decision : steps.timed_out.output.decision }}',
            comment: '{{ $exists(steps.decided.output) ? steps.decided.output.comment : steps.timed_out.output.comment }}',
          },
        }, at(3)),
      ],
      edges: edges(['start', 'wait'], ['wait', 'decided', 'received'], ['wait', 'timed_out', 'timeout'], ['decided', 'done'], ['timed_out', 'done']),
    },
  },
  {
    id: 'nightly-report',
    name: 'Nightly scheduled report',
    goal: 'Every night, fetch yesterday\'s figures from an API and deliver a short report to a reporting endpoint.',
    category: 'reporting',
    steps: ['Run every day at 02:00 UTC', 'Fetch the daily figures', 'Shape the report', 'POST the report'],
    conditions: [],
    outputs: ['delivered: the HTTP status of the delivery'],
    definition: {
      schemaVersion: 1,
      settings: { executionTimeoutSeconds: 3_600 },
      nodes: [
        node('nightly', 'trigger.schedule', 'Every night at 02:00', { cron: '0 2 * * *', timezone: 'UTC' }, at(0)),
        node('fetch', 'http.request', 'Fetch daily figures', {
          url: 'https://api.example.com/metrics/daily',
          method: 'GET',
          headers: { Accept: 'application/json' },
          query: { runId: '{{ run.id }}' },
        }, at(1), { retry: { maximumAttempts: 5, initialIntervalMs: 5_000, backoffCoefficient: 2 } }),
        node('report', 'transform', 'Build report', {
          mapping: { title: 'Daily report', figures: '{{ steps.fetch.output.body }}', generatedBy: '{{ run.id }}' },
        }, at(2)),
        node('deliver', 'http.request', 'Deliver report', {
          url: 'https://reports.example.com/inbox',
          method: 'POST',
          body: '{{ steps.report.output }}',
        }, at(3)),
        node('done', 'output.end', 'Done', { output: { delivered: '{{ steps.deliver.output.status }}' } }, at(4)),
      ],
      edges: edges(['nightly', 'fetch'], ['fetch', 'report'], ['report', 'deliver'], ['deliver', 'done']),
    },
  },
  {
    id: 'parallel-enrichment',
    name: 'Parallel lead enrichment',
    goal: 'Enrich a lead from two sources at once (company and person lookups) and merge the results.',
    category: 'data-enrichment',
    steps: ['Start with an email address', 'Look up the company and the person in parallel', 'Wait for both', 'Merge the results'],
    conditions: [],
    outputs: ['lead: the email with its company and person records'],
    definition: {
      schemaVersion: 1,
      inputSchema: {
        type: 'object',
        properties: { email: { type: 'string', format: 'email', title: 'Email' } },
        required: ['email'],
      },
      nodes: [
        node('start', 'trigger.manual', 'Start', {}, at(0)),
        node('fan_out', 'flow.parallel', 'In parallel', {}, at(1)),
        node('company', 'http.request', 'Company lookup', {
          url: 'https://company.example.com/lookup', query: { email: '{{ input.email }}' },
        }, at(2, -1)),
        node('person', 'http.request', 'Person lookup', {
          url: 'https://people.example.com/lookup', query: { email: '{{ input.email }}' },
        }, at(2, 1)),
        node('gather', 'flow.join', 'Wait for both', {}, at(3)),
        node('merge', 'transform', 'Merge', {
          mapping: { email: '{{ input.email }}', company: '{{ steps.company.output.body }}', person: '{{ steps.person.output.body }}' },
        }, at(4)),
        node('done', 'output.end', 'Done', { output: { lead: '{{ steps.merge.output }}' } }, at(5)),
      ],
      edges: edges(
        ['start', 'fan_out'], ['fan_out', 'company', 'out'], ['fan_out', 'person', 'out'],
        ['company', 'gather'], ['person', 'gather'], ['gather', 'merge'], ['merge', 'done'],
      ),
    },
  },
  {
    id: 'retrying-http-sync',
    name: 'Retrying HTTP sync',
    goal: 'Copy records from a source API to a destination API every 15 minutes, retrying both calls with exponential backoff.',
    category: 'integrations',
    steps: ['Run every 15 minutes', 'Read the changed records (retried up to 5 times)', 'Write them to the destination (retried up to 8 times)'],
    conditions: ['Any status other than 200/201 counts as a failure and is retried'],
    outputs: ['read: the source status', 'written: the destination status'],
    definition: {
      schemaVersion: 1,
      settings: {
        defaultActivityTimeoutSeconds: 60,
        defaultRetry: { maximumAttempts: 3, initialIntervalMs: 1_000, backoffCoefficient: 2, maximumIntervalMs: 30_000 },
      },
      nodes: [
        node('every_15m', 'trigger.schedule', 'Every 15 minutes', { cron: '*/15 * * * *', timezone: 'UTC' }, at(0)),
        node('read', 'http.request', 'Read changes', {
          url: 'https://source.example.com/records', method: 'GET', query: { changedSince: '15m' },
          timeoutMs: 20_000, expectStatus: [200],
        }, at(1), { retry: { maximumAttempts: 5, initialIntervalMs: 2_000, backoffCoefficient: 2, maximumIntervalMs: 60_000 }, timeoutSeconds: 30 }),
        node('write', 'http.request', 'Write changes', {
          url: 'https://destination.example.com/records/bulk', method: 'PUT',
          headers: { 'Content-Type': 'application/json', 'Idempotency-Key': '{{ run.id }}' },
          body: '{{ steps.read.output.body }}', timeoutMs: 30_000, expectStatus: [200, 201],
        }, at(2), { retry: { maximumAttempts: 8, initialIntervalMs: 5_000, backoffCoefficient: 2, maximumIntervalMs: 300_000 }, timeoutSeconds: 45 }),
        node('done', 'output.end', 'Done', {
          output: { read: '{{ steps.read.output.status }}', written: '{{ steps.write.output.status }}' },
        }, at(3)),
      ],
      edges: edges(['every_15m', 'read'], ['read', 'write'], ['write', 'done']),
    },
  },
  {
    id: 'summarise-web-page',
    name: 'Summarise a web page with AI',
    goal: 'Fetch a web page and have the AI agent summarise it in a few bullet points.',
    category: 'ai',
    steps: ['Start with a page URL', 'Fetch the page as text', 'Ask the AI agent for a summary'],
    conditions: [],
    outputs: ['summary: the AI summary', 'url: the page summarised'],
    definition: {
      schemaVersion: 1,
      inputSchema: {
        type: 'object',
        properties: { url: { type: 'string', format: 'uri', title: 'Page URL' } },
        required: ['url'],
      },
      nodes: [
        node('start', 'trigger.manual', 'Start', {}, at(0)),
        node('fetch', 'http.request', 'Fetch page', {
          url: '{{ input.url }}', method: 'GET', responseType: 'text', maxResponseBytes: 1_048_576,
        }, at(1), { retry: { maximumAttempts: 3 } }),
        node('summarise', 'ai.agent', 'Summarise', {
          systemPrompt: 'You summarise web pages accurately and briefly.',
          prompt: 'Summarise this page in at most five bullet points:\n\n{{ steps.fetch.output.body }}',
          model: 'gpt-4o-mini',
          temperature: 0.2,
          maxTokens: 512,
        }, at(2)),
        node('done', 'output.end', 'Done', { output: { url: '{{ input.url }}', summary: '{{ steps.summarise.output.text }}' } }, at(3)),
      ],
      edges: edges(['start', 'fetch'], ['fetch', 'summarise'], ['summarise', 'done']),
    },
  },
  {
    id: 'for-each-with-concurrency',
    name: 'Process a list, a few at a time',
    goal: 'Call an API once per item of a list, at most three calls at a time, and collect the results in order.',
    category: 'data-processing',
    steps: ['Start with a list of ids', 'For each id (3 at a time): fetch its record and keep the fields needed', 'Return all results'],
    conditions: [],
    outputs: ['results: one entry per id, in list order'],
    definition: {
      schemaVersion: 1,
      inputSchema: {
        type: 'object',
        properties: { ids: { type: 'array', title: 'Ids', items: { type: 'string' }, maxItems: 1_000 } },
        required: ['ids'],
      },
      nodes: [
        node('start', 'trigger.manual', 'Start', {}, at(0)),
        node('each', 'flow.forEach', 'Each id', { items: '{{ input.ids }}', concurrency: 3 }, at(1)),
        node('fetch', 'http.request', 'Fetch record', { url: 'https://api.example.com/records/{{ item }}', method: 'GET' }, at(2, -1)),
        node('keep', 'transform', 'Keep fields', {
          mapping: { id: '{{ item }}', position: '{{ index }}', status: '{{ steps.fetch.output.status }}', record: '{{ steps.fetch.output.body }}' },
        }, at(3, -1)),
        node('done', 'output.end', 'Done', { output: { results: '{{ steps.each.output }}' } }, at(2, 1)),
      ],
      edges: edges(['start', 'each'], ['each', 'fetch', 'item'], ['fetch', 'keep'], ['each', 'done', 'done']),
    },
  },
  {
    id: 'event-router',
    name: 'Route events by type',
    goal: 'Receive events on a webhook and send each one to the right system according to its type.',
    category: 'routing',
    steps: ['Receive an event', 'Switch on its type', 'Forward orders and refunds to their services; record anything else as ignored'],
    conditions: ['type = order: to the order service', 'type = refund: to the refund service', 'Any other type: ignored'],
    outputs: ['type: the event type', 'routedTo: which branch handled it'],
    definition: {
      schemaVersion: 1,
      inputSchema: {
        type: 'object',
        properties: {
          body: { type: 'object', properties: { type: { type: 'string', title: 'Event type' } }, required: ['type'] },
        },
      },
      nodes: [
        node('hook', 'trigger.webhook', 'Incoming event', { method: 'POST' }, at(0)),
        node('route', 'branch.switch', 'By type', {
          value: '{{ input.body.type }}',
          cases: [{ id: 'order', label: 'Order', equals: 'order' }, { id: 'refund', label: 'Refund', equals: 'refund' }],
        }, at(1)),
        node('to_orders', 'http.request', 'To order service', {
          url: 'https://orders.example.com/events', method: 'POST', body: '{{ input.body }}',
        }, at(2, -1)),
        node('to_refunds', 'http.request', 'To refund service', {
          url: 'https://refunds.example.com/events', method: 'POST', body: '{{ input.body }}',
        }, at(2, 0)),
        node('ignored', 'transform', 'Ignore', { mapping: { reason: 'unknown event type' } }, at(2, 1)),
        node('done', 'output.end', 'Done', {
          output: {
            type: '{{ input.body.type }}',
            routedTo: '{{ steps.route.output.case }}',
          },
        }, at(3)),
      ],
      edges: edges(
        ['hook', 'route'], ['route', 'to_orders', 'order'], ['route', 'to_refunds', 'refund'], ['route', 'ignored', 'default'],
        ['to_orders', 'done'], ['to_refunds', 'done'], ['ignored', 'done'],
      ),
    },
  },
  {
    id: 'delayed-follow-up',
    name: 'Delayed follow-up',
    goal: 'Wait a few days after a sign-up, then send a follow-up only if the account is still inactive.',
    category: 'notifications',
    steps: ['Start with an account id', 'Wait 3 days', 'Check the account\'s activity', 'Send a follow-up when it is inactive'],
    conditions: ['Active account: nothing is sent'],
    outputs: ['followedUp: whether a follow-up was sent'],
    definition: {
      schemaVersion: 1,
      settings: { executionTimeoutSeconds: 7 * 86_400 },
      inputSchema: {
        type: 'object',
        properties: { accountId: { type: 'string', title: 'Account id', minLength: 1 } },
        required: ['accountId'],
      },
      nodes: [
        node('start', 'trigger.manual', 'Start', {}, at(0)),
        node('wait', 'flow.delay', 'Wait 3 days', { duration: '3d' }, at(1)),
        node('check', 'http.request', 'Check activity', { url: 'https://api.example.com/accounts/{{ input.accountId }}/activity' }, at(2)),
        node('inactive', 'branch.if', 'Inactive?', { condition: '{{ steps.check.output.body.active = false }}' }, at(3)),
        node('send', 'http.request', 'Send follow-up', {
          url: 'https://mail.example.com/send', method: 'POST', body: { template: 'follow-up' }, query: { accountId: '{{ input.accountId }}' },
        }, at(4, -1)),
        node('skip', 'transform', 'Still active', { mapping: { skipped: 'active' } }, at(4, 1)),
        node('done', 'output.end', 'Done', { output: { followedUp: '{{ $exists(steps.send.output) }}' } }, at(5)),
      ],
      edges: edges(['start', 'wait'], ['wait', 'check'], ['check', 'inactive'], ['inactive', 'send', 'true'], ['inactive', 'skip', 'false'], ['send', 'done'], ['skip', 'done']),
    },
  },
  {
    id: 'order-review-queue',
    name: 'Order review queue',
    goal: 'A long-running review desk: orders are added to a work queue while the run is open, and a reviewer approves or rejects each one in priority order.',
    category: 'human-in-the-loop',
    steps: [
      'Start the desk once; it stays open',
      'Add orders from the run page, the API (POST …/queues/orders/items) or the orders_add signal',
      'Each order waits for the review signal (approved or rejected)',
      'Approved orders are sent to the fulfilment URL',
      'Send orders_stop to close the desk',
    ],
    conditions: [
      'Highest priority first; at most 100 waiting orders; an order id already waiting is refused',
      'Rejected orders are recorded and skipped',
    ],
    outputs: ['processed: how many orders were reviewed', 'rejected: how many orders the queue refused'],
    definition: {
      schemaVersion: 1,
      signals: [{
        name: 'review',
        description: 'The reviewer\'s decision on the order in progress',
        parametersSchema: {
          type: 'object',
          properties: { decision: { type: 'string', enum: ['approved', 'rejected'], title: 'Decision' }, note: { type: 'string', title: 'Note', maxLength: 1_000 } },
          required: ['decision'],
        },
      }],
      queries: [{ name: 'lastDecision', description: 'The last order reviewed and its decision', returns: 'steps.record.output' }],
      workQueues: [{
        name: 'orders',
        description: 'Orders waiting for review',
        order: 'priority',
        priorityField: 'priority',
        maxSize: 100,
        deduplicate: true,
        dedupeBy: 'orderId',
        itemSchema: {
          type: 'object',
          properties: {
            orderId: { type: 'string', title: 'Order id', minLength: 1 },
            amount: { type: 'number', title: 'Amount', minimum: 0 },
            priority: { type: 'integer', title: 'Priority', minimum: 0, maximum: 10, default: 0 },
          },
          required: ['orderId'],
        },
      }],
      nodes: [
        node('start', 'trigger.manual', 'Open the desk', {}, at(0)),
        node('desk', 'queue.process', 'Review orders', { queue: 'orders' }, at(1)),
        node('review', 'signal.wait', 'Wait for review', { signalName: 'review' }, at(2, 1)),
        node('approved', 'branch.if', 'Approved?', { condition: '{{ steps.review.output.decision = "approved" }}' }, at(3, 1)),
        node('fulfil', 'http.request', 'Send to fulfilment', {
          url: 'https://fulfilment.example.com/orders', method: 'POST', body: { orderId: '{{ item.orderId }}', amount: '{{ item.amount }}' },
        }, at(4, 0)),
        node('skip', 'transform', 'Rejected', { mapping: { skipped: '{{ item.orderId }}' } }, at(4, 2)),
        node('record', 'transform', 'Record decision', {
          mapping: { orderId: '{{ item.orderId }}', decision: '{{ steps.review.output.decision }}', note: '{{ steps.review.output.note }}' },
        }, at(5, 1)),
        node('done', 'output.end', 'Desk closed', {
          output: { processed: '{{ steps.desk.output.processed }}', rejected: '{{ steps.desk.output.rejected }}' },
        }, at(2, -1)),
      ],
      edges: edges(
        ['start', 'desk'], ['desk', 'review', 'item'], ['review', 'approved'], ['approved', 'fulfil', 'true'], ['approved', 'skip', 'false'],
        ['fulfil', 'record'], ['skip', 'record'], ['desk', 'done', 'done'],
      ),
    },
  },
];

/**
 * Upserts {@link builtinTemplates} into `workflow_templates` (org_id null, public, active), so
 * every organisation can list and instantiate them. Keeps usage_count. Idempotent; run as the
 * owner or service_role (built-in rows are not writable by users).
 *
 * @example
 * await syncBuiltinTemplates(db);
 */
export async function syncBuiltinTemplates(db: Database): Promise<number> {
  const rows = builtinTemplates.map((t) => ({
    id: t.id, name: t.name, goal: t.goal, category: t.category, steps: t.steps, conditions: t.conditions, outputs: t.outputs, definition: t.definition,
  }));
  const result = await sql`
    insert into public.workflow_templates as w
      (id, org_id, visibility_id, created_by, name, goal, steps, conditions, outputs, definition, category, is_active)
    select r.id, null, app.visibility_id('public'), null, r.name, r.goal, r.steps, r.conditions, r.outputs, r.definition, r.category, true
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(
      id text, name text, goal text, steps jsonb, conditions jsonb, outputs jsonb, definition jsonb, category text)
    on conflict (id) do update set
      name = excluded.name, goal = excluded.goal, steps = excluded.steps, conditions = excluded.conditions,
      outputs = excluded.outputs, definition = excluded.definition, category = excluded.category,
      visibility_id = excluded.visibility_id, is_active = true
    where w.org_id is null`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

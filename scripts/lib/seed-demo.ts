import type { WorkflowDefinition } from '@workflow-builder/definition';

export const DEMO_CREDENTIALS = { email: 'demo@example.com', password: 'demo-password' } as const;
export const DEMO_VIEWER = { email: 'viewer@example.com', password: 'viewer-password' } as const;

/** A tiny client for the product's own API: the demo is seeded through the same doors users use. */
class ApiSession {
  private cookie = '';
  constructor(private readonly base: string) {}

  async call<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(this.base + path, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(this.cookie ? { cookie: this.cookie } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0]!;
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }

  async must<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const r = await this.call<T>(method, path, body);
    if (r.status >= 300) throw new Error(`${method} ${path} -> ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  }
}

async function signInOrUp(api: ApiSession, who: { email: string; password: string }, displayName: string, organisationName: string): Promise<void> {
  const signIn = await api.call('POST', '/v1/auth/sign-in', who);
  if (signIn.status === 200) return;
  await api.must('POST', '/v1/auth/sign-up', { ...who, displayName, organisationName });
}

const at = (x: number, y = 0) => ({ x, y });

/** trigger -> GET the API's own /health -> branch on status -> transform -> end. */
function healthCheckWorkflow(apiBase: string): WorkflowDefinition {
  return {
    schemaVersion: 1,
    nodes: [
      { id: 'start', kind: 'trigger.manual', label: 'Start', config: {}, position: at(0) },
      { id: 'check', kind: 'http.request', label: 'Check API health', config: { url: `${apiBase}/health`, method: 'GET', responseType: 'json', expectStatus: [200, 503] }, position: at(260) },
      { id: 'healthy', kind: 'branch.if', label: 'Healthy?', config: { condition: "{{ steps.check.output.body.status = 'ok' }}" }, position: at(520) },
      { id: 'ok', kind: 'transform', label: 'All good', config: { mapping: { verdict: 'healthy', temporal: '{{ steps.check.output.body.temporal.ok }}' } }, position: at(780, -80) },
      { id: 'degraded', kind: 'transform', label: 'Degraded', config: { mapping: { verdict: 'degraded' } }, position: at(780, 80) },
      { id: 'done', kind: 'output.end', label: 'Report', config: { output: { verdict: "{{ $exists(steps.ok.output) ? steps.ok.output.verdict : steps.degraded.output.verdict }}" } }, position: at(1040) },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'check' },
      { id: 'e2', source: 'check', target: 'healthy' },
      { id: 'e3', source: 'healthy', sourceHandle: 'true', target: 'ok' },
      { id: 'e4', source: 'healthy', sourceHandle: 'false', target: 'degraded' },
      { id: 'e5', source: 'ok', target: 'done' },
      { id: 'e6', source: 'degraded', target: 'done' },
    ],
  };
}

/** trigger -> wait for `approve` (1 h) -> approved/timed out -> end. */
function approvalWorkflow(): WorkflowDefinition {
  return {
    schemaVersion: 1,
    inputSchema: { type: 'object', properties: { request: { type: 'string', title: 'What needs approval' } }, required: ['request'] },
    signals: [{ name: 'approve', description: 'A reviewer approves or rejects' }],
    nodes: [
      { id: 'start', kind: 'trigger.manual', label: 'Start', config: {}, position: at(0) },
      { id: 'approval', kind: 'signal.wait', label: 'Wait for approval', config: { signalName: 'approve', timeoutSeconds: 3600 }, position: at(260) },
      { id: 'approved', kind: 'transform', label: 'Decision', config: { mapping: { decision: '{{ steps.approval.output.decision }}' } }, position: at(520, -80) },
      { id: 'expired', kind: 'transform', label: 'Expired', config: { mapping: { decision: 'expired' } }, position: at(520, 80) },
      { id: 'done', kind: 'output.end', label: 'Done', config: { output: { request: '{{ input.request }}', decision: "{{ $exists(steps.approved.output) ? steps.approved.output.decision : steps.expired.output.decision }}" } }, position: at(780) },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'approval' },
      { id: 'e2', source: 'approval', sourceHandle: 'received', target: 'approved' },
      { id: 'e3', source: 'approval', sourceHandle: 'timeout', target: 'expired' },
      { id: 'e4', source: 'approved', target: 'done' },
      { id: 'e5', source: 'expired', target: 'done' },
    ],
  };
}

/** A batch step: trigger -> greeting for the item's `name` -> end. */
function greetingWorkflow(): WorkflowDefinition {
  return {
    schemaVersion: 1,
    inputSchema: { type: 'object', properties: { name: { type: 'string', title: 'Contact name' } }, required: ['name'] },
    nodes: [
      { id: 'start', kind: 'trigger.manual', label: 'Start', config: {}, position: at(0) },
      { id: 'greet', kind: 'transform', label: 'Greeting', config: { mapping: { greeting: "{{ 'Hello, ' & input.name & '!' }}" } }, position: at(260) },
      { id: 'done', kind: 'output.end', label: 'Done', config: { output: { greeting: '{{ steps.greet.output.greeting }}' } }, position: at(520) },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'greet' },
      { id: 'e2', source: 'greet', target: 'done' },
    ],
  };
}

/** A client, a workstream step running `greet-contact`, and one small batch (once). */
async function seedBatchDemo(api: ApiSession, orgId: string, project: { id: string }, workflowId: string, log: (s: string) => void): Promise<void> {
  const { workstreamSlug } = await api.must<{ workstreamSlug: string }>('GET', `/v1/orgs/${orgId}/projects/${project.id}`);
  const clients = await api.must<{ items: Array<{ id: string; name: string }> }>('GET', `/v1/orgs/${orgId}/clients`);
  const client = clients.items.find((c) => c.name === 'Acme Corp')
    ?? await api.must<{ id: string }>('POST', `/v1/orgs/${orgId}/clients`, { name: 'Acme Corp' });
  const steps = await api.must<{ items: Array<{ slug: string; workstreamSlug: string }> }>('GET', `/v1/orgs/${orgId}/enrichment-registry?workstreamSlug=${encodeURIComponent(workstreamSlug)}`);
  if (!steps.items.some((e) => e.slug === 'greet' && e.workstreamSlug === workstreamSlug)) {
    await api.must('POST', `/v1/orgs/${orgId}/enrichment-registry`, {
      slug: 'greet', workstreamSlug, name: 'Greet contact', description: 'Runs the greet-contact workflow on each item', type: 'sync', workflowId,
    });
  }
  const batches = await api.must<{ items: unknown[] }>('GET', `/v1/orgs/${orgId}/batches?limit=1`);
  if (batches.items.length === 0) {
    const created = await api.call('POST', `/v1/orgs/${orgId}/batches`, {
      clientId: client.id, workstreamSlug, blueprint: ['greet'], csv: 'name\nAda\nGrace\nLinus\n',
    });
    if (created.status >= 300) log(`could not start the demo batch: ${created.status} ${JSON.stringify(created.body)}`);
  }
}

/**
 * Idempotent demo data for `npm start`, created through the API: the demo admin (with their
 * organisation), a viewer member, a project, three deployed workflows, a client, a workstream
 * step and a small batch.
 */
export async function seedDemo(apiBase: string, log: (s: string) => void): Promise<void> {
  const viewer = new ApiSession(apiBase);
  await signInOrUp(viewer, DEMO_VIEWER, 'Demo Viewer', 'Viewer sandbox');
  const api = new ApiSession(apiBase);
  await signInOrUp(api, DEMO_CREDENTIALS, 'Demo Admin', 'Demo organisation');
  const me = await api.must<{ organizations: Array<{ id: string; name: string; role: string }> }>('GET', '/v1/auth/me');
  const org = me.organizations.find((o) => o.name === 'Demo organisation') ?? me.organizations[0]!;
  const members = await api.must<{ items: Array<{ email: string }> }>('GET', `/v1/orgs/${org.id}/members`);
  if (!members.items.some((m) => m.email === DEMO_VIEWER.email)) {
    await api.must('POST', `/v1/orgs/${org.id}/members`, { email: DEMO_VIEWER.email, role: 'viewer' });
  }
  const projects = await api.must<{ items: Array<{ id: string; name: string }> }>('GET', `/v1/orgs/${org.id}/projects`);
  const project = projects.items.find((p) => p.name === 'Demo project')
    ?? await api.must<{ id: string }>('POST', `/v1/orgs/${org.id}/projects`, { name: 'Demo project', description: 'Created by npm start' });
  const workflows = await api.must<{ items: Array<{ id: string; kebabName: string }> }>('GET', `/v1/orgs/${org.id}/workflows?projectId=${project.id}`);
  const ids: Record<string, string> = {};
  for (const [kebabName, name, definition] of [
    ['api-health-check', 'API health check', healthCheckWorkflow(apiBase)],
    ['expense-approval', 'Expense approval', approvalWorkflow()],
    ['greet-contact', 'Greet contact', greetingWorkflow()],
  ] as const) {
    let wf = workflows.items.find((w) => w.kebabName === kebabName);
    if (!wf) wf = await api.must<{ id: string; kebabName: string }>('POST', `/v1/orgs/${org.id}/workflows`, { projectId: project.id, name, kebabName, definition });
    ids[kebabName] = wf.id;
    const deployed = await api.call<{ version?: number }>('POST', `/v1/orgs/${org.id}/workflows/${wf.id}/deploy`);
    if (deployed.status >= 300 && deployed.status !== 404) log(`could not deploy ${kebabName}: ${deployed.status} ${JSON.stringify(deployed.body)}`);
  }
  await seedBatchDemo(api, org.id, project, ids['greet-contact']!, log);
  log(`demo data ready (organisation "${org.name}")`);
}

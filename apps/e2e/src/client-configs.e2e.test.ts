import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { WorkflowDefinition } from '@workflow-builder/definition';
import { startTestServer, type TestServer } from '@workflow-builder/runtime/testing';
import { apiUrl, finalScreenshot, launchBrowser, newPage, signUpViaApi, signInInBrowser } from './browser.ts';
import { ApiClient } from './api-client.ts';

const builder = { email: `configurer-${Date.now()}@example.test`, password: 'configurer-password-1' };
const at = (x: number) => ({ x: x * 250, y: 0 });

describe('client configs from the browser', () => {
  let browser: Browser;
  let api: ApiClient;
  let server: TestServer;
  let orgId: string;
  let workflowId: string;
  let workstream: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    // Answers with the path it was called on, so the run shows which URL the step used.
    server = await startTestServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ calledPath: req.url }));
    });
    await signUpViaApi(builder.email, builder.password, 'E2E Client configs');
    ({ api, orgId } = await ApiClient.forOrg(apiUrl(), builder));
    const project = await api.post<{ id: string; workstreamSlug: string }>(`/v1/orgs/${orgId}/projects`, { name: 'Enrichment' });
    workstream = project.workstreamSlug;
    const definition: WorkflowDefinition = {
      schemaVersion: 1,
      nodes: [
        { id: 'start', kind: 'trigger.manual', label: 'Start', config: {}, position: at(0) },
        { id: 'fetch', kind: 'http.request', label: 'Fetch', config: { url: `${server.url}/default`, method: 'GET' }, position: at(1) },
        { id: 'done', kind: 'output.end', label: 'Done', config: { output: { path: '{{ steps.fetch.output.body.calledPath }}' } }, position: at(2) },
      ],
      edges: [{ id: 'e1', source: 'start', target: 'fetch' }, { id: 'e2', source: 'fetch', target: 'done' }],
    };
    workflowId = await api.createDeployed(orgId, { projectId: project.id, name: 'Fetch company', kebabName: 'fetch-company', definition });
    await api.post(`/v1/orgs/${orgId}/enrichment-registry`, { slug: 'fetch-company', workstreamSlug: workstream, name: 'Fetch company', type: 'sync', workflowId });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('create a client, set its step config in the generated form, run for that client: the inspector shows the overridden URL', async () => {
    const { page } = await newPage(browser);
    try {
      await signInInBrowser(page, builder);
      await page.goto(`/orgs/${orgId}/clients`);
      await page.getByLabel('New client').fill('Acme Corp');
      await page.getByRole('button', { name: 'Create client' }).click();
      const clients = page.getByRole('table', { name: 'Clients' });
      await expect.poll(() => clients.textContent()).toContain('Acme Corp');

      await page.getByRole('button', { name: 'Step configs of Acme Corp' }).click();
      await page.getByRole('button', { name: `Configure fetch-company (${workstream})` }).click();
      const editor = page.getByRole('region', { name: 'Config of fetch-company' });
      // The form is generated from the step workflow: one section per node, here the Fetch node's URL.
      const url = editor.locator('#client-config-fetch-company_fetch_url');
      await url.waitFor({ timeout: 30_000 });
      await url.fill(`${server.url}/acme`);
      await editor.getByRole('button', { name: 'Save config' }).click();
      await expect.poll(() => editor.getByRole('status').textContent()).toBe('Saved.');
      const saved = await api.get<{ config: unknown }>(`/v1/orgs/${orgId}/clients/${(await api.get<{ items: Array<{ id: string }> }>(`/v1/orgs/${orgId}/clients`)).items[0]!.id}/configs/${workstream}/fetch-company`);
      expect(saved.config).toEqual({ fetch: { url: `${server.url}/acme` } });

      await page.goto(`/orgs/${orgId}/workflows/${workflowId}`);
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await page.getByLabel('Client').selectOption({ label: 'Acme Corp' });
      await page.getByRole('button', { name: 'Start run' }).click();
      await page.waitForURL(/\/runs\/[0-9a-f-]{36}/, { timeout: 30_000 });
      await expect.poll(() => page.getByTestId('node-fetch').getAttribute('data-status'), { timeout: 60_000 }).toBe('succeeded');
      // The run records which client config it used.
      expect(await page.getByTestId('run-client-config').textContent()).toBe(`fetch-company (${workstream})`);
      await page.getByTestId('node-fetch').click();
      const inspector = page.getByRole('complementary', { name: 'Inspector' });
      await expect.poll(() => inspector.textContent()).toContain('/acme');
      expect(await inspector.textContent()).not.toContain('/default');
      expect(server.requests.map((r) => r.url)).toEqual(['/acme']);
    } finally {
      await finalScreenshot(page, 'client-configs');
    }
  });

  it('a cached step is shown as cached on the run page, and its work is not done again', async () => {
    const project = await api.post<{ id: string }>(`/v1/orgs/${orgId}/projects`, { name: 'Cached lookups' });
    const definition: WorkflowDefinition = {
      schemaVersion: 1,
      nodes: [
        { id: 'start', kind: 'trigger.manual', label: 'Start', config: {}, position: at(0) },
        { id: 'lookup', kind: 'http.request', label: 'Lookup', config: { url: `${server.url}/lookup`, method: 'GET' }, position: at(1), cache: { ttlSeconds: 3600 } },
        { id: 'done', kind: 'output.end', label: 'Done', config: { output: { path: '{{ steps.lookup.output.body.calledPath }}' } }, position: at(2) },
      ],
      edges: [{ id: 'e1', source: 'start', target: 'lookup' }, { id: 'e2', source: 'lookup', target: 'done' }],
    };
    const id = await api.createDeployed(orgId, { projectId: project.id, name: 'Cached lookup', kebabName: 'cached-lookup', definition });
    const runToEnd = async () => {
      const { runId } = await api.post<{ runId: string }>(`/v1/orgs/${orgId}/workflows/${id}/runs`, { input: {} });
      await expect.poll(async () => (await api.get<{ run: { status: string } }>(`/v1/orgs/${orgId}/runs/${runId}`)).run.status, { timeout: 60_000 }).toBe('completed');
      return runId;
    };
    const before = server.requests.length;
    await runToEnd();
    const second = await runToEnd();
    expect(server.requests.length - before).toBe(1);

    const { page } = await newPage(browser);
    try {
      await signInInBrowser(page, builder);
      await page.goto(`/orgs/${orgId}/runs/${second}`);
      await expect.poll(() => page.getByTestId('node-lookup').getAttribute('data-status'), { timeout: 30_000 }).toBe('cached');
      await page.getByTestId('node-lookup').click();
      const inspector = page.getByRole('complementary', { name: 'Inspector' });
      await expect.poll(() => inspector.textContent()).toContain('Cached');
      expect(await inspector.textContent()).toContain('/lookup');
    } finally {
      await finalScreenshot(page, 'cached-step');
    }
  });
});

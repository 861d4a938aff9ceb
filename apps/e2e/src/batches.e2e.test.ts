import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { WorkflowDefinition } from '@workflow-builder/definition';
import { startTestServer, type TestServer } from '@workflow-builder/runtime/testing';
import { apiUrl, finalScreenshot, launchBrowser, newPage, signUpViaApi, signInInBrowser } from './browser.ts';
import { ApiClient } from './api-client.ts';

const builder = { email: `batcher-${Date.now()}@example.test`, password: 'batcher-password-1' };
const viewer = { email: `batch-viewer-${Date.now()}@example.test`, password: 'viewer-password-1' };
const at = (x: number) => ({ x: x * 250, y: 0 });
/** The sync step's workflow: { x } -> { doubled: 2x }; anything but an integer x fails its input schema. */
const doubler: WorkflowDefinition = {
  schemaVersion: 1,
  inputSchema: { type: 'object', properties: { x: { type: 'integer' } }, required: ['x'] },
  nodes: [
    { id: 'start', kind: 'trigger.manual', label: 'Start', config: {}, position: at(0) },
    { id: 'double', kind: 'transform', label: 'Double', config: { mapping: { doubled: '{{ input.x * 2 }}' } }, position: at(1) },
    { id: 'done', kind: 'output.end', label: 'Done', config: { output: { doubled: '{{ steps.double.output.doubled }}' } }, position: at(2) },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'double' },
    { id: 'e2', source: 'double', target: 'done' },
  ],
};

describe('batch pipelines from the browser', () => {
  let browser: Browser;
  let api: ApiClient;
  let orgId: string;
  let workstream: string;
  let batchUrl: string;
  /** An async step's endpoint that accepts every item and never calls back: its batches stay RUNNING. */
  let holdService: TestServer;

  beforeAll(async () => {
    browser = await launchBrowser();
    holdService = await startTestServer((_req, res) => {
      res.statusCode = 202;
      res.end();
    });
    await signUpViaApi(builder.email, builder.password, 'E2E Batches');
    await signUpViaApi(viewer.email, viewer.password, 'E2E Batch viewer home');
    ({ api, orgId } = await ApiClient.forOrg(apiUrl(), builder));
    await api.post(`/v1/orgs/${orgId}/members`, { email: viewer.email, role: 'viewer' });
    const project = await api.post<{ id: string; workstreamSlug: string }>(`/v1/orgs/${orgId}/projects`, { name: 'Enrichment' });
    workstream = project.workstreamSlug;
    const wf = await api.post<{ id: string }>(`/v1/orgs/${orgId}/workflows`, { projectId: project.id, name: 'Doubler', kebabName: 'doubler', definition: doubler });
    await api.post(`/v1/orgs/${orgId}/workflows/${wf.id}/deploy?wait=60`, {});
    // The worker process may still be starting: wait until it serves the version.
    const deadline = Date.now() + 120_000;
    while ((await api.get<{ pickedUpAt: string | null }>(`/v1/orgs/${orgId}/workflows/${wf.id}/compiled`)).pickedUpAt === null) {
      if (Date.now() > deadline) throw new Error('no worker picked up the doubler');
      await new Promise((r) => setTimeout(r, 500));
    }
    await api.post(`/v1/orgs/${orgId}/enrichment-registry`, { slug: 'double', workstreamSlug: workstream, name: 'Double it', type: 'sync', workflowId: wf.id });
    await api.post(`/v1/orgs/${orgId}/clients`, { name: 'Initech' });
  });
  afterAll(async () => {
    await browser?.close();
    await holdService?.close();
  });

  it('registers a step and shows the API\'s reasons next to the fields', async () => {
    const { page } = await newPage(browser);
    try {
      await signInInBrowser(page, builder);
      await page.goto(`/orgs/${orgId}/steps`);
      await expect.poll(() => page.getByTestId('step-row-double').count()).toBe(1);
      await page.getByRole('button', { name: 'New step' }).click();
      const form = page.getByRole('dialog', { name: 'New workstream step' });
      await form.getByLabel('Slug').fill('double');
      await form.getByLabel('Name', { exact: true }).fill('Again');
      await form.getByLabel('Async: calls an endpoint and waits for its callback').check();
      await form.getByLabel('Endpoint URL').fill('ftp://score.example.test/x');
      await form.getByRole('button', { name: 'Create step' }).click();
      // The URL pattern is the API's rule: the message sits under the endpoint field.
      await expect.poll(() => form.getByTestId('error-asyncEndpointUrl').count()).toBe(1);
      await form.getByLabel('Endpoint URL').fill('https://score.example.test/x');
      await form.getByRole('button', { name: 'Create step' }).click();
      // The slug is taken in this workstream: 409 on /slug.
      await expect.poll(() => form.getByTestId('error-slug').textContent()).toMatch(/already exists/);
      await form.getByLabel('Slug').fill('score');
      await form.getByLabel('Callback timeout (seconds, empty: 3600)').fill('120');
      await form.getByRole('button', { name: 'Create step' }).click();
      await expect.poll(() => page.getByTestId('step-row-score').textContent()).toContain('callback within 120 s');

      // Edit: slug and workstream are the key and stay; the rest changes.
      await page.getByRole('button', { name: 'Edit score' }).click();
      const edit = page.getByRole('dialog', { name: 'Edit step score' });
      expect(await edit.getByLabel('Slug').isDisabled()).toBe(true);
      await edit.getByLabel('Callback timeout (seconds, empty: 3600)').fill('300');
      await edit.getByRole('button', { name: 'Save step' }).click();
      await expect.poll(() => page.getByTestId('step-row-score').textContent()).toContain('callback within 300 s');

      // Delete, after confirming; a throwaway step so the later tests keep theirs.
      await page.getByRole('button', { name: 'New step' }).click();
      const scratch = page.getByRole('dialog', { name: 'New workstream step' });
      await scratch.getByLabel('Slug').fill('scratch');
      await scratch.getByLabel('Name', { exact: true }).fill('Scratch');
      await scratch.getByRole('combobox', { name: /^Workflow/ }).selectOption({ label: 'Doubler' });
      await scratch.getByRole('button', { name: 'Create step' }).click();
      await expect.poll(() => page.getByTestId('step-row-scratch').count()).toBe(1);
      await page.getByRole('button', { name: 'Delete scratch' }).click();
      await page.getByRole('dialog', { name: 'Delete step' }).getByRole('button', { name: 'Delete step' }).click();
      await expect.poll(() => page.getByTestId('step-row-scratch').count()).toBe(0);
    } finally {
      await finalScreenshot(page, 'batches-workstream-steps');
    }
  });

  it('creates a batch from the UI, watches it reach 100 % with every item succeeded, and opens an item\'s run', async () => {
    const { page } = await newPage(browser);
    try {
      await signInInBrowser(page, builder);
      await page.goto(`/orgs/${orgId}/batches`);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Batches' }).waitFor();
      // A step that someone deletes while the dialog is open: the API's reason lands under the blueprint.
      const doublerId = (await api.get<{ items: Array<{ slug: string; workflowId: string | null }> }>(`/v1/orgs/${orgId}/enrichment-registry?workstreamSlug=${workstream}`))
        .items.find((e) => e.slug === 'double')!.workflowId;
      const temp = await api.post<{ id: string }>(`/v1/orgs/${orgId}/enrichment-registry`, { slug: 'temp', workstreamSlug: workstream, name: 'Temporary', type: 'sync', workflowId: doublerId });
      await page.getByRole('button', { name: 'New batch' }).click();
      const dialog = page.getByRole('dialog', { name: 'New batch' });
      await dialog.getByRole('combobox', { name: /^Client/ }).selectOption({ label: 'Initech' });
      await dialog.getByLabel('Step to add').selectOption('temp');
      await dialog.getByRole('button', { name: 'Add step' }).click();
      await dialog.getByLabel('Step to add').selectOption('double');
      await dialog.getByRole('button', { name: 'Add step' }).click();
      await dialog.getByRole('button', { name: 'Move double up' }).click();
      const blueprint = () => dialog.getByRole('list', { name: 'Blueprint steps' }).locator('li code').allTextContents();
      expect(await blueprint()).toEqual(['double', 'temp']);
      await api.delete(`/v1/orgs/${orgId}/enrichment-registry/${temp.id}`);
      await dialog.getByRole('button', { name: 'Create batch' }).click();
      await expect.poll(() => dialog.getByTestId('blueprint-errors').textContent()).toMatch(/^step 2: no step temp is registered/);
      await dialog.getByRole('button', { name: 'Remove temp' }).click();
      expect(await blueprint()).toEqual(['double']);
      expect(await dialog.getByTestId('blueprint-errors').count()).toBe(0);

      // A malformed CSV is named by row before anything is sent.
      await dialog.getByLabel('CSV file', { exact: true }).check();
      await dialog.getByLabel('CSV file (first row: column names)').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('x,y\n1,2\n3\n') });
      await expect.poll(() => dialog.getByTestId('items-check').textContent()).toMatch(/^row 3: /);
      expect(await dialog.getByRole('button', { name: 'Create batch' }).isDisabled()).toBe(true);

      await dialog.getByLabel('JSON array', { exact: true }).check();
      await dialog.getByLabel('Items (JSON array of objects)').fill(JSON.stringify([{ x: 1 }, { x: 2 }, { x: 3 }, { x: 4 }]));
      await expect.poll(() => dialog.getByTestId('items-check').textContent()).toBe('4 items');
      await dialog.getByRole('button', { name: 'Create batch' }).click();
      await page.waitForURL(/\/batches\/[0-9a-f-]{36}$/, { timeout: 30_000 });
      batchUrl = new URL(page.url()).pathname;

      const bar = page.getByRole('progressbar', { name: 'Batch progress' });
      await expect.poll(() => bar.getAttribute('aria-valuenow'), { timeout: 90_000 }).toBe('100');
      await expect.poll(() => page.getByTestId('count-SUCCEEDED').getAttribute('data-count')).toBe('4');
      for (const s of ['PENDING', 'RUNNING', 'FAILED', 'CANCELLED']) expect(await page.getByTestId(`count-${s}`).getAttribute('data-count')).toBe('0');
      await expect.poll(() => page.locator('h1 .status-badge').getAttribute('data-status')).toBe('COMPLETED');
      expect(await page.getByTestId('item-3-step-double').getAttribute('data-status')).toBe('SUCCEEDED');
      // Closed and complete: nothing left to control.
      expect(await page.getByRole('group', { name: 'Batch actions' }).count()).toBe(0);
      await finalScreenshot(page, 'batch-completed');

      await page.getByRole('link', { name: 'Open run of item 2 step double' }).click();
      await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/);
      await expect.poll(() => page.getByTestId('node-done').getAttribute('data-status'), { timeout: 30_000 }).toBe('succeeded');
      await page.getByTestId('node-done').click();
      await expect.poll(() => page.getByRole('complementary', { name: 'Inspector' }).textContent()).toContain('4');
    } finally {
      await finalScreenshot(page, 'batch-item-run');
    }
  });

  it('a failing batch offers Retry failed to a builder, and no controls to a viewer', async () => {
    // CSV values are strings: the doubler's input schema wants an integer, so these items fail.
    const clientId = (await api.get<{ items: Array<{ id: string }> }>(`/v1/orgs/${orgId}/clients`)).items[0]!.id;
    const created = await api.post<{ batchId: string }>(`/v1/orgs/${orgId}/batches`, { clientId, workstreamSlug: workstream, blueprint: ['double'], csv: 'x\n1\n2\n' });
    const { page } = await newPage(browser);
    try {
      await signInInBrowser(page, builder);
      await page.goto(`/orgs/${orgId}/batches/${created.batchId}`);
      await expect.poll(() => page.getByTestId('count-FAILED').getAttribute('data-count'), { timeout: 90_000 }).toBe('2');
      const actions = page.getByRole('group', { name: 'Batch actions' });
      await expect.poll(() => actions.getByRole('button', { name: 'Retry failed (2)' }).count()).toBe(1);
      expect(await actions.getByRole('button', { name: 'Pause' }).count()).toBe(0);
      expect(await actions.getByRole('button', { name: 'Cancel batch' }).count()).toBe(0);
      expect(await page.getByTestId('item-0-step-double').textContent()).toMatch(/FAILED|Failed/);
      // Retry: the failed items run again (and fail again); each item's step then links to both of its runs.
      const firstRun = await page.getByRole('link', { name: 'Open run of item 1 step double' }).getAttribute('href');
      await actions.getByRole('button', { name: 'Retry failed (2)' }).click();
      await expect.poll(() => page.getByRole('link', { name: 'Run 2 of item 1 step double' }).count(), { timeout: 90_000 }).toBe(1);
      await expect.poll(() => page.getByTestId('count-FAILED').getAttribute('data-count'), { timeout: 90_000 }).toBe('2');
      // Oldest first: run 1 is the run the step linked to before the retry, run 2 the latest.
      expect(await page.getByRole('link', { name: 'Run 1 of item 1 step double' }).getAttribute('href')).toBe(firstRun);
      const secondRun = await page.getByRole('link', { name: 'Run 2 of item 1 step double' }).getAttribute('href');
      expect(secondRun).not.toBe(firstRun);
      expect(await page.getByRole('link', { name: 'Open run of item 1 step double' }).getAttribute('href')).toBe(secondRun);
      await page.getByRole('link', { name: 'Run 1 of item 1 step double' }).click();
      await page.waitForURL((url) => url.pathname === firstRun);

      const list = await newPage(browser);
      await signInInBrowser(list.page, viewer);
      await list.page.goto(`/orgs/${orgId}/batches`);
      await expect.poll(() => list.page.getByTestId(`batch-row-${created.batchId}`).getAttribute('data-status')).toBe('FAILED');
      expect(await list.page.getByRole('button', { name: 'New batch' }).count()).toBe(0);
      expect(await list.page.locator('[data-testid^="batch-row-"]').count()).toBe(2);
      await list.page.getByRole('combobox', { name: /^Status/ }).selectOption('FAILED');
      await list.page.waitForURL(/status=FAILED/);
      await expect.poll(() => list.page.locator('[data-testid^="batch-row-"]').count()).toBe(1);
      expect(await list.page.getByTestId(`batch-row-${created.batchId}`).count()).toBe(1);
      await list.page.goto(batchUrl);
      await expect.poll(() => list.page.getByTestId('count-SUCCEEDED').getAttribute('data-count')).toBe('4');
      await list.page.goto(`/orgs/${orgId}/batches/${created.batchId}`);
      await expect.poll(() => list.page.getByTestId('count-FAILED').getAttribute('data-count')).toBe('2');
      expect(await list.page.getByRole('group', { name: 'Batch actions' }).count()).toBe(0);
      await list.page.goto(`/orgs/${orgId}/steps`);
      await expect.poll(() => list.page.getByTestId('step-row-double').count()).toBe(1);
      expect(await list.page.getByRole('button', { name: 'New step' }).count()).toBe(0);
      expect(await list.page.getByRole('button', { name: 'Edit double' }).count()).toBe(0);
      await list.page.goto(`/orgs/${orgId}/batches/${created.batchId}`);
      await expect.poll(() => list.page.getByTestId('count-FAILED').getAttribute('data-count')).toBe('2');
      await finalScreenshot(list.page, 'batch-viewer');
      await list.context.close();
    } finally {
      await finalScreenshot(page, 'batch-failed');
    }
  });

  it('pauses, resumes and (after confirming) cancels a running batch from its page', async () => {
    await api.post(`/v1/orgs/${orgId}/enrichment-registry`, {
      slug: 'hold', workstreamSlug: workstream, name: 'Hold', type: 'async', asyncEndpointUrl: `${holdService.url}/hold`, callbackTimeoutSeconds: 3600,
    });
    const clientId = (await api.get<{ items: Array<{ id: string }> }>(`/v1/orgs/${orgId}/clients`)).items[0]!.id;
    const created = await api.post<{ batchId: string }>(`/v1/orgs/${orgId}/batches`, {
      clientId, workstreamSlug: workstream, blueprint: ['hold'], items: [{ n: 1 }, { n: 2 }, { n: 3 }], concurrency: 1,
    });
    const { page } = await newPage(browser);
    try {
      await signInInBrowser(page, builder);
      await page.goto(`/orgs/${orgId}/batches/${created.batchId}`);
      const status = () => page.locator('h1 .status-badge').getAttribute('data-status');
      const actions = page.getByRole('group', { name: 'Batch actions' });
      await expect.poll(() => page.getByTestId('count-RUNNING').getAttribute('data-count'), { timeout: 60_000 }).toBe('1');
      expect(await actions.getByRole('button', { name: /^Retry failed/ }).count()).toBe(0);

      await actions.getByRole('button', { name: 'Pause' }).click();
      await expect.poll(status).toBe('PAUSED');
      expect(await actions.getByRole('button', { name: 'Pause' }).count()).toBe(0);
      await actions.getByRole('button', { name: 'Resume' }).click();
      await expect.poll(status).toBe('RUNNING');

      await actions.getByRole('button', { name: 'Cancel batch' }).click();
      const confirm = page.getByRole('dialog', { name: 'Cancel this batch?' });
      await confirm.getByRole('button', { name: 'Cancel', exact: true }).click();
      expect(await status()).toBe('RUNNING');
      await actions.getByRole('button', { name: 'Cancel batch' }).click();
      await confirm.getByRole('button', { name: 'Cancel batch' }).click();
      await expect.poll(status, { timeout: 60_000 }).toBe('CANCELLED');
      await expect.poll(() => page.getByTestId('count-CANCELLED').getAttribute('data-count')).toBe('3');
      expect(await page.getByRole('progressbar', { name: 'Batch progress' }).getAttribute('aria-valuenow')).toBe('0');
      expect(await page.getByRole('group', { name: 'Batch actions' }).count()).toBe(0);
    } finally {
      await finalScreenshot(page, 'batch-cancelled');
    }
  });
});

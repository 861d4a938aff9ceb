import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { workQueueDefinition } from '@workflow-builder/definition';
import { apiUrl, finalScreenshot, launchBrowser, newPage, signUpViaApi, signInInBrowser } from './browser.ts';
import { ApiClient } from './api-client.ts';

const builder = { email: `queuer-${Date.now()}@example.test`, password: 'queuer-password-1' };

describe('work queues from the run page', () => {
  let browser: Browser;
  let api: ApiClient;
  let orgId: string;
  let workflowId: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    await signUpViaApi(builder.email, builder.password, 'E2E Queues');
    ({ api, orgId } = await ApiClient.forOrg(apiUrl(), builder));
    const project = await api.post<{ id: string }>(`/v1/orgs/${orgId}/projects`, { name: 'Queue project' });
    // Each order waits for an approval signal before it is handled.
    workflowId = await api.createDeployed(orgId, {
      projectId: project.id, name: 'Approve orders', kebabName: 'approve-orders', definition: workQueueDefinition({ approval: true, queue: { maxSize: 5 } }),
    });
  });
  afterAll(async () => { await browser?.close(); });

  it('declares a signal and a work queue in the editor: problems show under the field, and saving stores them', async () => {
    const { page } = await newPage(browser);
    try {
      await signInInBrowser(page, builder);
      await page.goto(`/orgs/${orgId}/workflows/${workflowId}`);
      const side = page.getByRole('region', { name: 'Workflow settings' });
      await expect.poll(() => side.getByLabel('Work queues').getByLabel('Name').inputValue()).toBe('orders');

      await side.getByRole('button', { name: 'Add signal' }).click();
      const signals = side.getByLabel('Signals');
      await signals.getByLabel('Name').last().fill('escalate');
      await signals.getByLabel('Parameter schema (JSON Schema, optional)').last().fill('{ "type": "object", "properties": { "reason": { "type": "string" } } }');

      await side.getByRole('button', { name: 'Add work queue' }).click();
      const queues = side.getByLabel('Work queues');
      await queues.getByLabel('Name').last().fill('orders');
      // Validated by the API as you type: the duplicate name is reported on the field.
      await expect.poll(() => queues.getByRole('group').last().textContent(), { timeout: 20_000 }).toContain('declared twice');
      await queues.getByLabel('Name').last().fill('refunds');
      await queues.getByLabel('Order').last().selectOption('lifo');
      await expect.poll(() => queues.getByRole('group').last().textContent(), { timeout: 20_000 }).not.toContain('declared twice');

      // The consumer node's queue and the wait node's signal are selects of what is declared, unsaved additions included.
      await page.getByTestId('node-consume').click();
      const queueSelect = page.getByRole('region', { name: 'Node consume' }).getByLabel(/^Work queue/);
      await expect.poll(() => queueSelect.locator('option').allTextContents()).toEqual(['Choose a work queue…', 'orders', 'refunds']);
      await queueSelect.selectOption('refunds');
      await page.getByTestId('node-wait').click();
      const signalSelect = page.getByRole('region', { name: 'Node wait' }).getByLabel(/^Signal/);
      await expect.poll(() => signalSelect.locator('option').allTextContents()).toEqual(['Choose a signal…', 'approve', 'escalate']);
      expect(await signalSelect.inputValue()).toBe('approve');

      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect.poll(async () => {
        const wf = await api.get<{ definition: { signals?: Array<{ name: string }>; workQueues?: Array<{ name: string; order?: string }>; nodes: Array<{ id: string; config: { queue?: string } }> } }>(`/v1/orgs/${orgId}/workflows/${workflowId}`);
        return {
          signals: wf.definition.signals?.map((x) => x.name),
          queues: wf.definition.workQueues?.map((q) => [q.name, q.order]),
          consumes: wf.definition.nodes.find((n) => n.id === 'consume')?.config.queue,
        };
      }, { timeout: 20_000 }).toEqual({ signals: ['approve', 'escalate'], queues: [['orders', 'fifo'], ['refunds', 'lifo']], consumes: 'refunds' });
    } finally {
      await finalScreenshot(page, 'declare-messages-in-editor');
    }
  });

  it('approve from a work queue: items added on the run page wait in the queue panel, each is approved and processed', async () => {
    const run = await api.post<{ runId: string }>(`/v1/orgs/${orgId}/workflows/${workflowId}/runs`, { input: {} });
    const { page } = await newPage(browser);
    try {
      await signInInBrowser(page, builder);
      await page.goto(`/orgs/${orgId}/runs/${run.runId}`);
      await expect.poll(() => page.getByTestId('node-consume').getAttribute('data-status'), { timeout: 30_000 }).toBe('running');
      const panel = page.getByRole('region', { name: 'Work queue orders' });
      await expect.poll(() => panel.getByText('The queue is empty.').count(), { timeout: 30_000 }).toBe(1);

      const addItem = async (id: string) => {
        await panel.locator('#queue-orders_id').fill(id);
        await panel.getByRole('button', { name: 'Add item' }).click();
        await expect.poll(() => panel.getByRole('status').textContent()).toMatch(/Added at position \d+ of \d+\./);
      };
      await addItem('order-1');
      // The first order is taken at once and waits for its approval; the second waits in the queue.
      await expect.poll(() => panel.getByTestId('queue-in-flight').textContent(), { timeout: 30_000 }).toContain('order-1');
      await addItem('order-2');
      await expect.poll(() => panel.getByRole('list', { name: 'Items waiting in orders' }).textContent(), { timeout: 30_000 }).toContain('order-2');
      expect(await panel.getByTestId('queue-processed').textContent()).toBe('0');

      const approve = async () => {
        await page.getByRole('region', { name: 'Signals' }).getByRole('button', { name: 'approve', exact: true }).click();
        const dialog = page.getByRole('dialog');
        await dialog.locator('#signal_decision').selectOption('approved');
        await dialog.getByRole('button', { name: 'Send signal' }).click();
        await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
      };
      await approve();
      await expect.poll(() => panel.getByTestId('queue-processed').textContent(), { timeout: 30_000 }).toBe('1');
      await expect.poll(() => panel.getByTestId('queue-in-flight').textContent(), { timeout: 30_000 }).toContain('order-2');
      await expect.poll(() => page.getByTestId('node-handle').getAttribute('data-status'), { timeout: 30_000 }).toBe('succeeded');
      await approve();
      await expect.poll(() => panel.getByTestId('queue-processed').textContent(), { timeout: 30_000 }).toBe('2');
      await expect.poll(() => panel.getByText('Nothing').count(), { timeout: 30_000 }).toBe(1);

      const detail = await api.get<{ steps: Array<{ nodeId: string; output: { id?: string; decision?: string } | null }> }>(`/v1/orgs/${orgId}/runs/${run.runId}`);
      expect(detail.steps.filter((s) => s.nodeId === 'handle').map((s) => s.output)).toEqual([
        { id: 'order-1', index: 0, decision: 'approved' },
        { id: 'order-2', index: 1, decision: 'approved' },
      ]);
      // Stopping the queue from the run page ends the run.
      await page.getByRole('region', { name: 'Signals' }).getByRole('button', { name: 'orders_stop', exact: true }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Send signal' }).click();
      await expect.poll(() => page.getByTestId('node-done').getAttribute('data-status'), { timeout: 60_000 }).toBe('succeeded');
    } finally {
      await finalScreenshot(page, 'approve-from-work-queue');
    }
  });
});

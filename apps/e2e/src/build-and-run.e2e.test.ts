import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '@workflow-builder/runtime/testing';
import { approvalDefinition } from '@workflow-builder/definition';
import { apiUrl, finalScreenshot, launchBrowser, newPage, signUpViaApi, signInInBrowser } from './browser.ts';
import { ApiClient } from './api-client.ts';

const builder = { email: `builder-${Date.now()}@example.test`, password: 'builder-password-1' };
const viewer = { email: `viewer-${Date.now()}@example.test`, password: 'viewer-password-1' };

/** Drags a palette entry onto the canvas at (x, y) relative to the canvas pane, with the mouse. */
async function dragFromPalette(page: Page, label: string, x: number, y: number): Promise<void> {
  const item = page.getByRole('button', { name: label, exact: true });
  const pane = page.locator('.react-flow__pane');
  const box = (await pane.boundingBox())!;
  await item.dragTo(pane, { targetPosition: { x, y } });
  await expect.poll(async () => page.locator('.react-flow__node').count()).toBeGreaterThan(0);
  void box;
}

/**
 * Connects an output handle of one node to the input of another, with the mouse. The first
 * interaction with a fresh canvas can still move the viewport, so a drag that made no edge is
 * measured again and repeated once.
 */
async function connect(page: Page, sourceId: string, handle: string, targetId: string): Promise<void> {
  const source = page.locator(`.react-flow__node[data-id="${sourceId}"] .react-flow__handle.source[data-handleid="${handle}"]`);
  const target = page.locator(`.react-flow__node[data-id="${targetId}"] .react-flow__handle.target`);
  const edges = page.locator('.react-flow__edge');
  const before = await edges.count();
  for (let attempt = 0; attempt < 2 && (await edges.count()) === before; attempt++) {
    await settle(page);
    const s = (await source.boundingBox())!;
    const t = (await target.boundingBox())!;
    await page.mouse.move(s.x + s.width / 2, s.y + s.height / 2);
    await page.mouse.down();
    await page.mouse.move((s.x + t.x) / 2, (s.y + t.y) / 2, { steps: 8 });
    await page.mouse.move(t.x + t.width / 2, t.y + t.height / 2, { steps: 8 });
    await page.mouse.up();
    await settle(page);
  }
}

/** Waits until the canvas stops moving (layout and fit-view animate). */
async function settle(page: Page): Promise<void> {
  const snapshot = () => page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => JSON.stringify(e.getBoundingClientRect())).join('|'));
  // Stable for half a second: an animation may start a frame or two after the click.
  let last = '';
  let stableFor = 0;
  for (let i = 0; i < 100 && stableFor < 5; i++) {
    await page.waitForTimeout(100);
    const now = await snapshot();
    stableFor = now === last ? stableFor + 1 : 0;
    last = now;
  }
}

const inspectorOf = (page: Page) => page.getByRole('complementary', { name: 'Inspector' });

const nodeIds = (page: Page) => page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')!));

describe('builders draw, deploy and run; reviewers inspect', () => {
  let browser: Browser;
  let server: TestServer;
  let api: ApiClient;
  let orgId: string;
  let runUrl: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    server = await startTestServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ status: 'ok', answer: 42 }));
    });
    await signUpViaApi(builder.email, builder.password, 'E2E Builders');
    await signUpViaApi(viewer.email, viewer.password, 'E2E Viewer home');
    ({ api, orgId } = await ApiClient.forOrg(apiUrl(), builder));
    await api.post(`/v1/orgs/${orgId}/projects`, { name: 'E2E project' });
    await api.post(`/v1/orgs/${orgId}/members`, { email: viewer.email, role: 'viewer' });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('draws a four-node workflow with the mouse, configures it, saves, reloads, deploys, runs and watches it succeed', async () => {
    const { page } = await newPage(browser);
    try {
      await signInInBrowser(page, builder);
      await page.goto(`/orgs/${orgId}/workflows`);
      await page.getByRole('button', { name: 'New workflow' }).click();
      await page.getByLabel('Name').fill('Check the answer');
      await page.getByRole('button', { name: 'Create workflow' }).click();
      await page.waitForURL(/\/workflows\/[0-9a-f-]{36}/);
      await expect.poll(() => page.locator('.react-flow__pane').count()).toBe(1);

      await dragFromPalette(page, 'Manual trigger', 150, 150);
      await dragFromPalette(page, 'HTTP request', 600, 150);
      await dragFromPalette(page, 'If', 150, 500);
      await dragFromPalette(page, 'Transform', 600, 500);
      await expect.poll(() => page.locator('.react-flow__node').count()).toBe(4);
      // Unconnected nodes land in one column: no node covers another's handles.
      await page.getByRole('button', { name: 'Auto-layout' }).click();
      const ids = await nodeIds(page);
      const [trigger, http, branch, transform] = ['trigger.manual', 'http.request', 'branch.if', 'transform'].map((kind) =>
        ids.find((id) => id.startsWith(kind.replace('.', '_')))!);
      expect([trigger, http, branch, transform].every(Boolean)).toBe(true);

      await connect(page, trigger!, 'out', http!);
      await connect(page, http!, 'out', branch!);
      await connect(page, branch!, 'true', transform!);
      await connect(page, branch!, 'false', transform!);
      await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(4);
      await page.getByRole('button', { name: 'Auto-layout' }).click();

      // Configure each node through its generated form.
      await page.locator(`.react-flow__node[data-id="${http}"]`).click();
      await inspectorOf(page).getByRole('textbox', { name: /^URL/ }).fill(`${server.url}/answer`);
      await page.locator(`.react-flow__node[data-id="${branch}"]`).click();
      await inspectorOf(page).getByRole('textbox', { name: /^Condition/ }).fill(`{{ steps.${http}.output.body.answer = 42 }}`);
      await page.locator(`.react-flow__node[data-id="${transform}"]`).click();
      const inspector = page.getByRole('complementary', { name: 'Inspector' });
      await inspector.getByRole('button', { name: /add/i }).first().click();
      await inspector.locator('input[id$="-key"], input[id*="key"]').last().fill('answer');
      await inspector.locator('textarea').last().fill(`{{ steps.${http}.output.body.answer }}`);

      await page.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => page.getByTestId('save-state').textContent()).toContain('All changes saved');

      await page.reload();
      await expect.poll(() => page.locator('.react-flow__node').count()).toBe(4);
      await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(4);
      expect((await nodeIds(page)).sort()).toEqual([trigger, http, branch, transform].sort());

      await page.getByRole('button', { name: 'Deploy' }).click();
      await expect.poll(() => page.getByRole('list', { name: 'Deploy progress' }).textContent(), { timeout: 60_000 }).toMatch(/picked it up/i);
      await page.getByRole('button', { name: 'Done' }).or(page.getByRole('button', { name: 'Close' })).first().click();

      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await page.getByRole('button', { name: 'Start run' }).click();
      await page.waitForURL(/\/runs\/[0-9a-f-]{36}/, { timeout: 30_000 });
      runUrl = new URL(page.url()).pathname;
      for (const id of [trigger, http, branch, transform]) {
        await expect.poll(() => page.getByTestId(`node-${id}`).getAttribute('data-status'), { timeout: 60_000 }).toBe('succeeded');
      }
      await page.getByTestId(`node-${http}`).click();
      await expect.poll(() => page.getByRole('complementary', { name: 'Inspector' }).textContent()).toContain('answer');
      expect(await page.getByRole('complementary', { name: 'Inspector' }).textContent()).toContain('42');
    } finally {
      await finalScreenshot(page, 'build-deploy-run');
    }
  });

  it('a viewer opens that run but sees no edit, deploy or run controls', async () => {
    const { page } = await newPage(browser);
    try {
      await signInInBrowser(page, viewer);
      await page.goto(runUrl);
      await expect.poll(() => page.locator('.react-flow__node').count()).toBe(4);
      expect(await page.getByRole('group', { name: 'Run actions' }).count()).toBe(0);
      for (const name of ['Retry run', 'Cancel run', 'Terminate run', 'Send signal']) {
        expect(await page.getByRole('button', { name }).count()).toBe(0);
      }
      const workflowId = (await api.get<{ items: Array<{ id: string }> }>(`/v1/orgs/${orgId}/workflows`)).items[0]!.id;
      await page.goto(`/orgs/${orgId}/workflows/${workflowId}`);
      await expect.poll(() => page.locator('.react-flow__node').count()).toBe(4);
      for (const name of ['Save', 'Deploy', 'Run']) expect(await page.getByRole('button', { name, exact: true }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'HTTP request', exact: true }).count()).toBe(0);
    } finally {
      await finalScreenshot(page, 'viewer-read-only');
    }
  });

  it('a run waiting for approval is approved from the run page and completes', async () => {
    const projectId = (await api.get<{ items: Array<{ id: string }> }>(`/v1/orgs/${orgId}/projects`)).items[0]!.id;
    const wf = await api.post<{ id: string }>(`/v1/orgs/${orgId}/workflows`, {
      projectId, name: 'Approve expense', kebabName: 'approve-expense', definition: approvalDefinition(600),
    });
    await api.post(`/v1/orgs/${orgId}/workflows/${wf.id}/deploy`, {});
    const run = await api.post<{ runId: string }>(`/v1/orgs/${orgId}/workflows/${wf.id}/runs`, { input: {} });

    const { page } = await newPage(browser);
    try {
      await signInInBrowser(page, builder);
      await page.goto(`/orgs/${orgId}/runs/${run.runId}`);
      await expect.poll(() => page.getByTestId('node-wait').getAttribute('data-status'), { timeout: 30_000 }).toBe('running');
      await page.getByRole('button', { name: 'Send signal' }).click();
      await page.getByRole('dialog').getByLabel('Payload (JSON, optional)').fill('{ "decision": "approved" }');
      await page.getByRole('dialog').getByRole('button', { name: 'Send signal' }).click();
      await expect.poll(() => page.getByTestId('node-done').getAttribute('data-status'), { timeout: 60_000 }).toBe('succeeded');
      expect(await page.getByTestId('node-no').getAttribute('data-status')).not.toBe('succeeded');
      const detail = await api.get<{ run: { status: string; output: unknown } }>(`/v1/orgs/${orgId}/runs/${run.runId}`);
      expect(detail.run).toMatchObject({ status: 'completed', output: { decision: 'approved' } });
    } finally {
      await finalScreenshot(page, 'approve-from-run-page');
    }
  });

  it('starts a workflow from a template and opens it in the editor', async () => {
    const { page } = await newPage(browser);
    try {
      await signInInBrowser(page, builder);
      await page.goto(`/orgs/${orgId}/workflows`);
      await page.getByRole('button', { name: 'Start from a template' }).click();
      await page.getByRole('button', { name: 'Use template Approval with timeout' }).click();
      await page.getByRole('dialog').getByLabel('Name').fill('Approve holidays');
      await page.getByRole('dialog').getByRole('button', { name: 'Create workflow' }).click();
      await page.waitForURL(/\/workflows\/[0-9a-f-]{36}/);
      await expect.poll(() => page.locator('.react-flow__node').count()).toBeGreaterThan(2);
      expect(await page.locator('[data-testid^="node-"][data-kind="signal.wait"]').count()).toBe(1);
      const list = await api.get<{ items: Array<{ id: string; usageCount: number }> }>(`/v1/orgs/${orgId}/templates`);
      expect(list.items.find((t) => t.id === 'approval-with-timeout')?.usageCount).toBeGreaterThanOrEqual(1);
    } finally {
      await finalScreenshot(page, 'start-from-template');
    }
  });
});

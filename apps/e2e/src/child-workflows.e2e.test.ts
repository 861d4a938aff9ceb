import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { WorkflowDefinition } from '@workflow-builder/definition';
import { apiUrl, finalScreenshot, launchBrowser, newPage, signUpViaApi, signInInBrowser } from './browser.ts';
import { ApiClient } from './api-client.ts';

const builder = { email: `parent-${Date.now()}@example.test`, password: 'parent-password-1' };
const at = (x: number) => ({ x: x * 250, y: 0 });
const greeter: WorkflowDefinition = {
  schemaVersion: 1,
  nodes: [
    { id: 'start', kind: 'trigger.manual', label: 'Start', config: {}, position: at(0) },
    { id: 'done', kind: 'output.end', label: 'Done', config: { output: { greeting: 'hi {{ input.name }}' } }, position: at(1) },
  ],
  edges: [{ id: 'e1', source: 'start', target: 'done' }],
};
const parent: WorkflowDefinition = {
  schemaVersion: 1,
  nodes: [
    { id: 'start', kind: 'trigger.manual', label: 'Start', config: {}, position: at(0) },
    { id: 'greet', kind: 'workflow.child', label: 'Greet', config: { workflowSlug: 'greeter', input: { name: 'Ada' } }, position: at(1) },
    { id: 'done', kind: 'output.end', label: 'Done', config: { output: { child: '{{ steps.greet.output.greeting }}' } }, position: at(2) },
  ],
  edges: [{ id: 'e1', source: 'start', target: 'greet' }, { id: 'e2', source: 'greet', target: 'done' }],
};

describe('parent and child runs in the browser', () => {
  let browser: Browser;
  let api: ApiClient;
  let orgId: string;
  let runId: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    await signUpViaApi(builder.email, builder.password, 'E2E Parents');
    ({ api, orgId } = await ApiClient.forOrg(apiUrl(), builder));
    const project = await api.post<{ id: string }>(`/v1/orgs/${orgId}/projects`, { name: 'Family project' });
    await api.createDeployed(orgId, { projectId: project.id, name: 'Greeter', kebabName: 'greeter', definition: greeter });
    const parentId = await api.createDeployed(orgId, { projectId: project.id, name: 'Parent', kebabName: 'parent', definition: parent });
    runId = (await api.post<{ runId: string }>(`/v1/orgs/${orgId}/workflows/${parentId}/runs`, { input: {} })).runId;
  });
  afterAll(async () => { await browser?.close(); });

  it('clicks from the parent run to its child run and back', async () => {
    const { page } = await newPage(browser);
    try {
      await signInInBrowser(page, builder);
      await page.goto(`/orgs/${orgId}/runs/${runId}`);
      await expect.poll(() => page.getByTestId('node-done').getAttribute('data-status'), { timeout: 60_000 }).toBe('succeeded');
      const children = page.getByRole('region', { name: 'Child runs' });
      await expect.poll(() => children.getByRole('link').count(), { timeout: 20_000 }).toBe(1);
      expect(await children.textContent()).toMatch(/Greeter.*from Greet/);

      // The child step in the inspector links to the run it started too.
      await page.getByTestId('node-greet').click();
      const inspector = page.getByRole('complementary', { name: 'Inspector' });
      await expect.poll(() => inspector.getByRole('region', { name: 'Started run' }).getByRole('link').count()).toBe(1);

      await children.getByRole('link').click();
      await page.waitForURL((url) => url.pathname.startsWith(`/orgs/${orgId}/runs/`) && !url.pathname.endsWith(runId));
      const childUrl = page.url();
      await expect.poll(() => page.getByTestId('parent-run-link').count()).toBe(1);
      expect(await page.getByText('Greeter', { exact: true }).count()).toBeGreaterThan(0);
      await page.getByTestId('parent-run-link').click();
      await page.waitForURL((url) => url.pathname === `/orgs/${orgId}/runs/${runId}`);
      await expect.poll(() => page.getByRole('region', { name: 'Child runs' }).getByRole('link').getAttribute('href')).toBe(new URL(childUrl).pathname);
    } finally {
      await finalScreenshot(page, 'child-workflows');
      await page.close();
    }
  });
});

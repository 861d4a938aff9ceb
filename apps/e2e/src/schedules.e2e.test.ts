import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { WorkflowDefinition } from '@workflow-builder/definition';
import { apiUrl, finalScreenshot, launchBrowser, newPage, signUpViaApi, signInInBrowser } from './browser.ts';
import { ApiClient } from './api-client.ts';

const builder = { email: `scheduler-${Date.now()}@example.test`, password: 'scheduler-password-1' };
const at = (x: number) => ({ x: x * 250, y: 0 });
const report: WorkflowDefinition = {
  schemaVersion: 1,
  nodes: [
    { id: 'start', kind: 'trigger.manual', label: 'Start', config: {}, position: at(0) },
    { id: 'done', kind: 'output.end', label: 'Done', config: { output: { ok: 'yes' } }, position: at(1) },
  ],
  edges: [{ id: 'e1', source: 'start', target: 'done' }],
};

describe('schedules from the browser', () => {
  let browser: Browser;
  let api: ApiClient;
  let orgId: string;
  let workflowId: string;

  beforeAll(async () => {
    browser = await launchBrowser();
    await signUpViaApi(builder.email, builder.password, 'E2E Schedulers');
    ({ api, orgId } = await ApiClient.forOrg(apiUrl(), builder));
    const project = await api.post<{ id: string }>(`/v1/orgs/${orgId}/projects`, { name: 'Scheduled project' });
    workflowId = await api.createDeployed(orgId, {
      projectId: project.id, name: 'Weekday report', kebabName: 'weekday-report', definition: report,
    });
  });
  afterAll(async () => { await browser?.close(); });

  it('schedules a deployed workflow, shows the reason for an invalid cron, its next fire times, and pauses it', async () => {
    const { page } = await newPage(browser);
    try {
      await signInInBrowser(page, builder);
      await page.goto(`/orgs/${orgId}/workflows/${workflowId}`);
      await page.getByRole('button', { name: 'Schedules' }).click();
      const panel = page.getByRole('dialog', { name: 'Schedules' });
      await expect.poll(() => panel.getByText('No schedules').count()).toBe(1);
      await panel.getByRole('button', { name: 'Add schedule' }).click();

      const form = page.getByRole('dialog', { name: 'Add schedule' });
      await form.getByLabel('Cron expression').fill('61 * * * *');
      // The cron parser's own reason, live, and no saving.
      await expect.poll(() => form.getByTestId('cron-feedback').textContent()).toMatch(/61/);
      expect(await form.getByRole('button', { name: 'Save schedule' }).isDisabled()).toBe(true);
      expect(await form.getByTestId('schedule-preview').count()).toBe(0);

      await form.getByLabel('Cron expression').fill('0 9 * * mon-fri');
      await form.getByLabel('Time zone').fill('Asia/Tokyo');
      await expect.poll(() => form.getByTestId('schedule-preview').locator('li').count()).toBe(5);
      expect(await form.getByTestId('schedule-preview').textContent()).toMatch(/09:00/);
      await form.getByRole('button', { name: 'Save schedule' }).click();

      const item = panel.getByRole('listitem', { name: 'Schedule 0 9 * * mon-fri' });
      await expect.poll(() => item.getByTestId('next-fire-time').count(), { timeout: 20_000 }).toBe(5);
      expect(await item.getByText('(from Temporal)').count()).toBe(1);
      // The schedule's own zone column reads 09:00 on weekdays.
      const scheduleColumn = await item.getByTestId('next-fire-time').locator('td:nth-child(2)').allTextContents();
      for (const cell of scheduleColumn) expect(cell).toMatch(/(Mon|Tue|Wed|Thu|Fri).*09:00/);
      expect(await item.getAttribute('data-state')).toBe('active');

      await item.getByRole('button', { name: 'Pause' }).click();
      await expect.poll(() => item.getAttribute('data-state')).toBe('paused');
      expect(await item.getByTestId('schedule-state').textContent()).toBe('paused');
      expect(await item.getByRole('button', { name: 'Resume' }).count()).toBe(1);
      const listed = await api.get<{ items: Array<{ paused: boolean; cron: string; timezone: string }> }>(`/v1/orgs/${orgId}/workflows/${workflowId}/schedules`);
      expect(listed.items).toMatchObject([{ paused: true, cron: '0 9 * * mon-fri', timezone: 'Asia/Tokyo' }]);

      // Resume, trigger a run now, then delete.
      await item.getByRole('button', { name: 'Resume' }).click();
      await expect.poll(() => item.getAttribute('data-state')).toBe('active');
      await item.getByRole('button', { name: 'Trigger now' }).click();
      await expect.poll(() => panel.getByText('Run started through the schedule.').count()).toBe(1);
      await expect.poll(async () => (await api.get<{ items: Array<{ channel: string }> }>(`/v1/orgs/${orgId}/runs?workflowId=${workflowId}`)).items.map((r) => r.channel), { timeout: 30_000 })
        .toEqual(['schedule']);
      await item.getByRole('button', { name: 'Delete' }).click();
      await page.getByRole('dialog', { name: 'Delete schedule' }).getByRole('button', { name: 'Delete schedule' }).click();
      await expect.poll(() => panel.getByText('No schedules').count()).toBe(1);
    } finally {
      await finalScreenshot(page, 'schedules');
      await page.close();
    }
  });
});

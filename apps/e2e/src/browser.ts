import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { repoRoot } from '@workflow-builder/devstack';

/** Where each test's final screenshot goes (git-ignored, kept as a CI artifact). */
export const screenshotDir = path.join(repoRoot, 'test-results', 'e2e-screenshots');

/** Debian's Chromium, headless, with the flags this sandboxed, offline machine needs. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.WB_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export const webUrl = () => process.env.WB_E2E_WEB_URL!;
export const apiUrl = () => process.env.WB_E2E_API_URL!;

export async function newPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: webUrl(), viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  return { context, page };
}

/** Saves the page as `<name>.png` under test-results/e2e-screenshots. */
export async function finalScreenshot(page: Page, name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name.replace(/[^a-z0-9-]+/gi, '-')}.png`), fullPage: true });
}

/** Signs up through the API (the fixture), returning the credentials for the browser to use. */
export async function signUpViaApi(email: string, password: string, organisationName: string): Promise<void> {
  const res = await fetch(`${apiUrl()}/v1/auth/sign-up`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, displayName: email.split('@')[0], organisationName }),
  });
  if (res.status !== 201 && res.status !== 200) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
}

/** Signs in through the sign-in page and waits to leave it. */
export async function signInInBrowser(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}

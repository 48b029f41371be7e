import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchChromium } from './chromium';
import { kubectl, waitForReady } from './page-helpers';

describe('two tabs on one cluster', () => {
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    browser = await launchChromium();
    context = await browser.newContext();
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  it('the second tab says the cluster runs elsewhere and takes it over; the first stops before it boots', async () => {
    const first = await context.newPage();
    await first.goto(inject('baseUrl'));
    await waitForReady(first);
    expect((await kubectl(first, 'create configmap from-first --from-literal=k=v')).exitCode).toBe(0);

    const second = await context.newPage();
    await second.goto(inject('baseUrl'));
    await second.waitForSelector('[data-testid=tab-ownership][data-state=elsewhere]', { timeout: 15000 });
    await second.click('[data-testid=take-over]');
    await waitForReady(second);
    await first.waitForSelector('[data-testid=tab-ownership][data-state=moved]', { timeout: 15000 });

    // The new leader sees what the old one wrote, and serves.
    const r = await kubectl(second, 'get configmap from-first -o name');
    expect(r.stdout).toBe('configmap/from-first\n');
    expect((await kubectl(second, 'get nodes')).stdout).toMatch(/tabernetes-worker2\s+Ready/);
    expect(await second.locator('[data-testid=tab-ownership]').count()).toBe(0);
  });
});

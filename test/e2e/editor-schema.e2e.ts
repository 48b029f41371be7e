import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { clusterPageFixture, waitForReady } from './page-helpers';

describe('the manifest editor knows the Kubernetes schema', () => {
  const cluster = clusterPageFixture();
  let page: Page;

  beforeAll(async () => {
    page = cluster.page;
    const manifest = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: c\n    image: hello-world\n    imagePullPolicy: 5\n';
    await page.evaluate((text) => localStorage.setItem('tabernetes.editor.buffer', text), manifest);
    await page.reload();
    await waitForReady(page);
    await page.waitForSelector('[data-testid=editor] .monaco-editor', { timeout: 30000 });
  });

  it('marks a field of the wrong type and explains the field on hover', async () => {
    await page.waitForSelector('[data-testid=editor] .squiggly-warning, [data-testid=editor] .squiggly-error', { timeout: 20000 });
    await page.hover('[data-testid=editor] .view-lines span:text-is("5")');
    const hover = page.locator('.monaco-hover').first();
    await expect.poll(async () => (await hover.textContent()) ?? '', { timeout: 10000 }).toContain('Incorrect type. Expected "string"');
    expect(await hover.textContent()).toContain('Image pull policy. One of Always, Never, IfNotPresent.');
  });
});

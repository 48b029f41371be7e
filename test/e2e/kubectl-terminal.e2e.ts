// The kubectl terminal in the tab: Tab completion, Ctrl-C on a streaming -w, and kubectl edit's Monaco modal.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { clusterPageFixture, kubectl, terminalText, waitForReady } from './page-helpers';

describe('kubectl in the terminal', () => {
  const cluster = clusterPageFixture();
  let page: Page;

  beforeAll(async () => {
    page = cluster.page;
    await waitForReady(page);
  });

  it('completes commands and resource types on Tab', async () => {
    await page.click('[data-testid=terminal]');
    await page.keyboard.type('kubectl ge');
    await page.keyboard.press('Tab');
    await page.keyboard.type('nod');
    await page.keyboard.press('Tab');
    await expect.poll(() => terminalText(page), { timeout: 10000 }).toContain('kubectl get nodes ');
    await page.keyboard.press('Enter');
    await expect.poll(() => terminalText(page), { timeout: 10000 }).toMatch(/NAME +STATUS +ROLES +AGE +VERSION/);
  });

  it('streams get -w until Ctrl-C and then takes the next command', async () => {
    expect((await kubectl(page, 'kubectl create configmap pre-existing')).exitCode).toBe(0);
    await page.keyboard.type('kubectl get cm -w\n');
    await expect.poll(() => terminalText(page), { timeout: 10000 }).toMatch(/pre-existing +0 +\d+s/);
    expect((await kubectl(page, 'kubectl create configmap watched-one')).exitCode).toBe(0);
    await expect.poll(() => terminalText(page), { timeout: 10000 }).toMatch(/watched-one +0 +\d+s/);
    await page.keyboard.press('Control+C');
    await page.keyboard.type('kubectl get cm watched-one -o name\n');
    await expect.poll(() => terminalText(page), { timeout: 10000 }).toContain('configmap/watched-one');
  });

  it('kubectl edit opens the object in a Monaco modal; Cancel reports no changes', async () => {
    expect((await kubectl(page, 'kubectl create configmap edited --from-literal=a=b')).exitCode).toBe(0);
    await page.click('[data-testid=terminal]');
    await page.keyboard.type('kubectl edit cm edited\n');
    await page.waitForSelector('[data-testid=kubectl-edit] .monaco-editor', { timeout: 15000 });
    const modalText = async () => ((await page.textContent('[data-testid=kubectl-edit] .view-lines')) ?? '').replace(/\u00a0/g, ' ');
    await expect.poll(modalText, { timeout: 10000 }).toContain('Please edit the object below');
    expect(await modalText()).toContain('a: b');
    await page.click('[data-testid=kubectl-edit] button:has-text("Cancel")');
    await expect.poll(() => terminalText(page), { timeout: 10000 }).toContain('Edit cancelled, no changes made.');
    expect(await page.$('[data-testid=kubectl-edit]')).toBeNull();
  });
});

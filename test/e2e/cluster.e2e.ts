import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { clusterPageFixture, kubectl, terminalText, waitForKubectl, waitForReady } from './page-helpers';

const NODES = ['tabernetes-control-plane', 'tabernetes-worker', 'tabernetes-worker2'];

describe('a cluster in a tab', () => {
  const cluster = clusterPageFixture();
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ({ page, errors } = cluster);
  });

  it('is cross-origin isolated', async () => {
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  });

  it('boots three Ready nodes named as kind names them', async () => {
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=node][data-status=Ready]').length === 3, undefined, { timeout: 15000 });
    const r = await kubectl(page, 'kubectl get nodes');
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(NODES);
    expect(lines[1]).toMatch(/^tabernetes-control-plane\s+Ready\s+control-plane\s+\S+\s+v1\.32\.\d+/);
    expect(lines[2]).toMatch(/^tabernetes-worker\s+Ready\s+<none>\s+/);
  });

  it('lists pods in every namespace', async () => {
    const r = await kubectl(page, 'get pods -A');
    expect(r.exitCode).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/NAMESPACE\s+NAME|No resources found/);
  });

  it('applies the editor Pod, runs it to Completed, shows its logs in the terminal and describes it', async () => {
    await page.waitForSelector('[data-testid=editor] .monaco-editor', { timeout: 30000 });
    await page.click('[data-testid=apply]');
    await page.waitForFunction(() => document.querySelector('[data-testid=apply-outcome]')?.textContent?.includes('pod/hello created'), undefined, { timeout: 15000 });

    const done = await waitForKubectl(page, 'get pods', (r) => /hello\s+0\/1\s+Completed\s+0\s+/.test(r.stdout));
    expect(done.stdout.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);

    await page.click('[data-testid=terminal]');
    await page.keyboard.type('kubectl logs hello\n');
    await expect.poll(() => terminalText(page), { timeout: 10000 }).toContain('Hello from Tabernetes!');
    const text = await terminalText(page);
    expect(text).toContain('--from');
    expect(text).toContain('GREETING=Hello, Kubernetes!');

    const d = await kubectl(page, 'describe pod hello');
    expect(d.exitCode).toBe(0);
    expect(d.stdout).toMatch(/^Node:\s+tabernetes-worker2?\/172\.18\.0\.\d+$/m);
    expect(d.stdout).toMatch(/State:\s+Terminated\n\s+Reason:\s+Completed\n\s+Exit Code:\s+0/);
    for (const reason of ['Scheduled', 'Pulled', 'Created', 'Started']) expect(d.stdout).toMatch(new RegExp(`Normal\\s+${reason}\\s`));
    expect(d.stdout).not.toMatch(/control-plane/);
  });

  it('keeps the pod, its status and its logs across a reload', async () => {
    const uid = JSON.parse((await kubectl(page, 'get pod hello -o json')).stdout).metadata.uid;
    await page.reload();
    await waitForReady(page);
    const r = await waitForKubectl(page, 'get pods', (x) => /hello\s+0\/1\s+Completed/.test(x.stdout));
    expect(r.exitCode).toBe(0);
    const logs = await kubectl(page, 'logs hello');
    expect(logs.stdout).toContain('Hello from Tabernetes!');
    const y = await kubectl(page, 'get pod hello -o json');
    const pod = JSON.parse(y.stdout);
    expect(pod.metadata.uid).toBe(uid);
    expect(pod.status.containerStatuses[0].restartCount).toBe(0);
    expect(pod.status.phase).toBe('Succeeded');
  });

  it('shows a YAML error with line and column and applies nothing', async () => {
    const bad = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: broken\n   labels: x\nspec: {}\n';
    await page.evaluate((text) => localStorage.setItem('tabernetes.editor.buffer', text), bad);
    await page.reload();
    await waitForReady(page);
    await page.waitForSelector('[data-testid=editor] .monaco-editor', { timeout: 30000 });
    await page.click('[data-testid=apply]');
    const outcome = page.locator('[data-testid=apply-outcome]');
    await outcome.waitFor({ timeout: 10000 });
    const text = (await outcome.textContent()) ?? '';
    expect(text).toMatch(/line 5/);
    expect(text).toMatch(/column \d+/);
    const r = await kubectl(page, 'get pod broken');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe('Error from server (NotFound): pods "broken" not found\n');
  });

  it('renders only the visible rows of a long pod list and the rest as the pane scrolls', async () => {
    const n = 60;
    await page.evaluate(async (count) => {
      const Pods = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true } as const;
      const t = (window as unknown as { tabernetes: { client: { create(r: unknown, o: unknown, ns: string): Promise<unknown> } } }).tabernetes;
      for (let i = 0; i < count; i++) {
        const name = `many-${String(i).padStart(2, '0')}`;
        await t.client.create(Pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeSelector: { 'tabernetes.dev/none': 'x' }, containers: [{ name: 'c', image: 'pause' }] } }, 'default');
      }
    }, n);
    const list = page.locator('.pending ul.windowed');
    await expect.poll(() => list.getAttribute('data-rows'), { timeout: 15000 }).toBe(String(n));
    const rendered = await page.locator('[data-testid=pending-pod]').count();
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(n);
    expect(await page.locator('[data-pod=many-59]').count()).toBe(0);
    await page.evaluate(() => {
      const pane = document.querySelector('[data-testid=cluster]')!;
      pane.scrollTop = pane.scrollHeight;
    });
    await page.waitForSelector('[data-pod=many-59]', { timeout: 5000 });
    expect(await page.locator('[data-pod=many-00]').count()).toBe(0);
    const names = Array.from({ length: n }, (_, i) => `many-${String(i).padStart(2, '0')}`).join(' ');
    const r = await kubectl(page, `delete pods ${names} --grace-period=0`);
    expect(r.exitCode).toBe(0);
    await page.waitForFunction(() => !document.querySelector('.pending'), undefined, { timeout: 15000 });
  });

  it('raised no uncaught page errors', () => {
    expect(errors).toEqual([]);
  });
});

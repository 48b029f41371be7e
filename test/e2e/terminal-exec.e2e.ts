// Interactive sessions in the terminal: `kubectl exec -it POD -- sh` gets the raw keyboard (Ctrl-C goes to
// the remote as \x03), and the tabernetes prompt returns when the remote shell exits.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { clusterPageFixture, kubectl, terminalText, waitForKubectl } from './page-helpers';

const rows = async (page: Page) => (await terminalText(page)).split('\n').map((r) => r.replace(/\u00a0/g, ' ').trimEnd());
const lastRow = async (page: Page) => (await rows(page)).filter((r) => r).pop() ?? '';
const PROMPT = 'tabernetes:~$';

describe('interactive kubectl in the terminal', () => {
  const cluster = clusterPageFixture();
  let page: Page;

  beforeAll(async () => {
    page = cluster.page;
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: bb}\nspec:\n  terminationGracePeriodSeconds: 1\n  containers: [{name: bb, image: busybox, command: [sleep, "3600"]}]\n';
    expect((await kubectl(page, 'apply -f -', pod)).exitCode).toBe(0);
    await waitForKubectl(page, 'get pod bb -o jsonpath={.status.phase}', (r) => r.stdout === 'Running', 60000);
  }, 120_000);

  it('kubectl exec -it bb -- sh: typed commands run remotely, Ctrl-C stays remote, exit returns the prompt', async () => {
    await page.click('[data-testid=terminal]');
    await page.keyboard.type('kubectl exec -it bb -- sh\n');
    // busybox sh's prompt ends in "# "; wait for it before typing (keys typed earlier would be type-ahead).
    await expect.poll(() => lastRow(page), { timeout: 20000 }).toMatch(/# ?$/);
    await page.keyboard.type('abc');
    await page.keyboard.press('Control+C');
    await page.keyboard.type('echo hello-from-sh\n');
    await expect.poll(async () => (await rows(page)).includes('hello-from-sh'), { timeout: 10000 }).toBe(true);
    // Still inside sh: Ctrl-C did not end the session.
    expect(await lastRow(page)).not.toContain(PROMPT);
    await page.keyboard.type('exit\n');
    await expect.poll(() => lastRow(page), { timeout: 10000 }).toBe(PROMPT);
    // The keyboard is back with the line editor: the next command runs locally.
    await page.keyboard.type('kubectl get pod bb -o name\n');
    await expect.poll(async () => (await rows(page)).includes('pod/bb'), { timeout: 10000 }).toBe(true);
  }, 60_000);

  it('kubectl exec -i bb -- cat (no -t): local echo, lines sent on Enter, Ctrl-C ends kubectl', async () => {
    // Typed at once: keys that arrive before exec subscribes are held for it, as a tty buffers them.
    await page.keyboard.type('kubectl exec -i bb -- cat\nline-one\n');
    await expect.poll(async () => (await rows(page)).filter((r) => r === 'line-one').length, { timeout: 10000 }).toBe(2);
    await page.keyboard.press('Control+C');
    await expect.poll(() => lastRow(page), { timeout: 10000 }).toBe(PROMPT);
  }, 60_000);

  it('kubectl run --attach --rm --restart=Never: exit code relayed, pod deleted, prompt back', async () => {
    await page.keyboard.type("kubectl run once --image=busybox --attach --rm --restart=Never -- sh -c 'exit 3'\n");
    await expect.poll(async () => (await rows(page)).includes('pod "once" deleted'), { timeout: 30000 }).toBe(true);
    await expect.poll(() => lastRow(page), { timeout: 10000 }).toBe(PROMPT);
    expect(await rows(page)).toContain('pod default/once terminated (Error)');
    await page.keyboard.type('echo $?\n');
    await expect.poll(async () => (await rows(page)).includes('3'), { timeout: 10000 }).toBe(true);
  }, 60_000);
});

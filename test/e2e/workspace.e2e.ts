// The in-tab workspace: seeded files in the editor's list, files made in the terminal and the panel, applied
// with kubectl -f in the terminal, and still there after a reload (IndexedDB).
import { describe, expect, it } from 'vitest';
import { clusterPageFixture, kubectl, terminalText, waitForReady } from './page-helpers';

/** Types each line and presses Enter (xterm reads Enter as \r; a newline in inserted text is not a key). */
async function typeLines(page: ReturnType<typeof clusterPageFixture>['page'], text: string) {
  for (const line of text.split('\n').slice(0, -1)) {
    await page.keyboard.insertText(line);
    await page.keyboard.press('Enter');
  }
}

const fileList = (page: ReturnType<typeof clusterPageFixture>['page']) => page.$$eval('[data-testid=workspace] li[data-path]', (lis) => lis.map((l) => l.getAttribute('data-path')));

describe('the workspace', () => {
  const f = clusterPageFixture();

  it('starts with the example manifests', async () => {
    await expect.poll(() => fileList(f.page), { timeout: 15000 }).toEqual(['hello-pod.yaml', 'web', 'web/deployment.yaml', 'web/ingress.yaml', 'web/service.yaml']);
  });

  it('a here-document makes a file that kubectl apply -f reads; it survives a reload', async () => {
    const { page } = f;
    await page.click('[data-testid=terminal]');
    await typeLines(page, 'mkdir -p cm\ncd cm\ncat <<EOF > one.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-workspace\ndata:\n  a: b\nEOF\nkubectl apply -f one.yaml\n');
    await expect.poll(() => terminalText(page), { timeout: 15000 }).toContain('configmap/from-workspace created');
    await expect.poll(() => fileList(page), { timeout: 5000 }).toContain('cm/one.yaml');
    expect((await kubectl(page, 'kubectl get cm from-workspace -o jsonpath={.data.a}')).stdout).toBe('b');

    await page.click('[data-testid=workspace] li[data-path="cm/one.yaml"]');
    await expect.poll(() => page.textContent('[data-testid=editor-file]'), { timeout: 5000 }).toBe('cm/one.yaml');
    await expect.poll(async () => ((await page.textContent('[data-testid=editor] .view-lines')) ?? '').replace(/\u00a0/g, ' '), { timeout: 20000 }).toContain('name: from-workspace');

    await page.reload();
    await waitForReady(page);
    await expect.poll(() => fileList(page), { timeout: 15000 }).toContain('cm/one.yaml');
    await expect.poll(() => page.textContent('[data-testid=editor-file]'), { timeout: 5000 }).toBe('cm/one.yaml');
    await page.click('[data-testid=terminal]');
    await typeLines(page, 'cat cm/one.yaml | kubectl apply -f -\nkubectl apply -f web/ --dry-run=client\n');
    await expect.poll(() => terminalText(page), { timeout: 15000 }).toContain('configmap/from-workspace unchanged');
    await expect.poll(() => terminalText(page), { timeout: 15000 }).toContain('service/web created (dry run)');
  });

  it('uploads a .yaml file and creates one from the panel', async () => {
    const { page } = f;
    await page.setInputFiles('[data-testid=workspace-upload]', { name: 'up.yaml', mimeType: 'text/yaml', buffer: Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: uploaded\n') });
    await expect.poll(() => fileList(page), { timeout: 5000 }).toContain('up.yaml');
    page.once('dialog', (d) => void d.accept('made.yaml'));
    await page.click('[data-testid=workspace] button:has-text("+ File")');
    await expect.poll(() => fileList(page), { timeout: 5000 }).toContain('made.yaml');
    await page.click('[data-testid=terminal]');
    await typeLines(page, 'kubectl apply -f up.yaml\n');
    await expect.poll(() => terminalText(page), { timeout: 15000 }).toContain('configmap/uploaded created');
  });
});

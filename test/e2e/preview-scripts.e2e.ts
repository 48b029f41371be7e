// A pod's page with JavaScript in the preview pane: on the preview origin (the app on 127.0.0.1:P, previews on
// 127.0.0.1:Q, another port of the same server) the page's inline script fetches ./data.json from its pod and writes it into the DOM, while the
// app's window.tabernetes, DOM and /_/api/ stay out of its reach and the app stays cross-origin isolated.
// Without a preview origin (the server offers none) the page opens script-less until "Allow scripts".
import { describe, expect, inject, it } from 'vitest';
import { clusterPageFixture, kubectl, waitForKubectl, waitForReady } from './page-helpers';

const SITE = `apiVersion: v1
kind: ConfigMap
metadata: {name: js-site}
data:
  index.html: |
    <!doctype html><title>js</title><p id="out">waiting</p>
    <script>
      fetch('./data.json').then((r) => r.json()).then((d) => { document.getElementById('out').textContent = d.message; });
    </script>
  data.json: |
    {"message": "hello from data.json"}
---
apiVersion: v1
kind: Pod
metadata: {name: js, labels: {app: js}}
spec:
  containers:
  - name: nginx
    image: nginx
    ports: [{containerPort: 80}]
    volumeMounts: [{name: site, mountPath: /usr/share/nginx/html}]
  volumes: [{name: site, configMap: {name: js-site}}]
`;

describe('preview pane: pages with scripts', () => {
  const fixture = clusterPageFixture();

  it("runs the page's script on the preview origin: the fetched ./data.json shows; the app is out of reach", async () => {
    const { page } = fixture;
    expect((await kubectl(page, 'apply -f -', SITE)).exitCode).toBe(0);
    await waitForKubectl(page, 'get pod js -o jsonpath={.status.podIP}', (r) => /\d/.test(r.stdout), 60_000);
    await waitForKubectl(page, 'get pod js -o jsonpath={.status.containerStatuses[0].ready}', (r) => r.stdout === 'true', 60_000);
    const app = new URL(page.url());
    await page.evaluate(() => window.dispatchEvent(new CustomEvent('tabernetes:preview', { detail: { url: '/_/pod/default/js:80/' } })));

    const frameEl = page.getByTestId('preview-frame');
    await frameEl.waitFor();
    expect(await frameEl.getAttribute('data-mode')).toBe('second-origin');
    expect(await frameEl.getAttribute('data-url')).toBe('/_/pod/default/js:80/');
    const src = /^http:\/\/127\.0\.0\.1:(\d+)\/preview-frame\.html#\/_\/pod\/default\/js:80\/$/.exec((await frameEl.getAttribute('src')) ?? '');
    expect(src).not.toBeNull();
    expect(src![1]).not.toBe(app.port);
    const out = page.frameLocator('[data-testid="preview-frame"]').frameLocator('#page').locator('#out');
    await expect.poll(() => out.textContent(), { timeout: 30_000 }).toBe('hello from data.json');
    const log = await kubectl(page, 'logs js');
    expect(log.stdout).toMatch(/"GET \/data\.json HTTP\/1\.1" 200/);

    const inner = page.frames().find((f) => f.url().startsWith('http') && new URL(f.url()).pathname === '/_/pod/default/js:80/')!;
    expect(new URL(inner.url()).origin).toBe(`http://127.0.0.1:${src![1]}`);
    const probe = await inner.evaluate(async () => {
      const attempt = (f: () => unknown) => {
        try {
          return `reached: ${String(f())}`;
        } catch (e) {
          return `blocked: ${(e as Error).name}`;
        }
      };
      const api = await fetch('/_/api/api/v1/secrets');
      let relayed = 0;
      // a forged relay message straight to the app: /_/api/ is refused there too
      const ch = new MessageChannel();
      const answered = new Promise<number>((resolve) => (ch.port1.onmessage = (e) => resolve((e.data as { status: number }).status)));
      window.top!.postMessage({ type: 'tabernetes-proxy', method: 'GET', target: 'api/api/v1/secrets', headers: [] }, '*', [ch.port2]);
      relayed = await answered;
      return {
        tabernetes: attempt(() => typeof (window.top as unknown as { tabernetes: unknown }).tabernetes),
        dom: attempt(() => window.top!.document.title),
        api: api.status,
        relayed,
        scripts: document.getElementById('out')!.textContent,
      };
    });
    expect(probe).toEqual({ tabernetes: 'blocked: SecurityError', dom: 'blocked: SecurityError', api: 403, relayed: 403, scripts: 'hello from data.json' });
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  }, 150_000);

  it('without a preview origin the page opens here without scripts; "Allow scripts" reloads it with them, with a warning', async () => {
    const context = await fixture.context.browser()!.newContext({ viewport: { width: 1400, height: 900 } });
    try {
      await context.route('**/preview-origin.json', (r) => r.fulfill({ status: 404, body: 'not found' }));
      const page = await context.newPage();
      await page.goto(inject('baseUrl'));
      await waitForReady(page);
      await page.waitForFunction(() => !!navigator.serviceWorker.controller, undefined, { timeout: 20_000 });
      expect((await kubectl(page, 'apply -f -', SITE)).exitCode).toBe(0);
      await waitForKubectl(page, 'get pod js -o jsonpath={.status.containerStatuses[0].ready}', (r) => r.stdout === 'true', 60_000);
      await page.evaluate(() => window.dispatchEvent(new CustomEvent('tabernetes:preview', { detail: { url: '/_/pod/default/js:80/' } })));
      const frameEl = page.getByTestId('preview-frame');
      await frameEl.waitFor();
      expect(await frameEl.getAttribute('data-mode')).toBe('same-origin');
      expect(await frameEl.getAttribute('src')).toBe('/_/pod/default/js:80/');
      const out = page.frameLocator('[data-testid="preview-frame"]').locator('#out');
      await expect.poll(() => out.textContent(), { timeout: 20_000 }).toBe('waiting');
      await page.waitForTimeout(500);
      expect(await out.textContent()).toBe('waiting'); // no script ran
      expect(await page.getByTestId('preview-scripts-warning').count()).toBe(0);

      await page.getByTestId('preview-allow-scripts').check();
      await expect.poll(() => page.getByTestId('preview-scripts-warning').textContent()).toContain('can reach the app');
      expect(await page.getByTestId('preview-frame').getAttribute('sandbox')).toContain('allow-scripts');
      await expect.poll(() => out.textContent(), { timeout: 20_000 }).toBe('hello from data.json');
      await page.getByTestId('preview-allow-scripts').uncheck();
      await expect.poll(() => page.getByTestId('preview-frame').getAttribute('sandbox')).not.toContain('allow-scripts');
      await expect.poll(() => out.textContent(), { timeout: 20_000 }).toBe('waiting');
    } finally {
      await context.close();
    }
  }, 150_000);
});

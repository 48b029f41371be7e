// The preview pane and the /_/ Service Worker: a NodePort's nginx page in the preview origin's frame, root-relative
// subresources kept in the page's scope, kubectl port-forward in the terminal opening the pane, and the
// apiserver at /_/api/ for the app (and not for a pod's page).
import { describe, expect, inject, it } from 'vitest';
import { clusterPageFixture, kubectl, terminalText, waitForKubectl, waitForReady } from './page-helpers';

const NGINX = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: nginx, ports: [{containerPort: 80, name: http}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
`;

describe('preview pane', () => {
  const fixture = clusterPageFixture();

  it('fetch("/_/api/api/v1/namespaces") returns the NamespaceList; a watch streams', async () => {
    const { page } = fixture;
    await waitForReady(page);
    // on a first visit the worker takes control of the page once it activates (clients.claim)
    await page.waitForFunction(() => !!navigator.serviceWorker.controller, undefined, { timeout: 20_000 });
    const r = await page.evaluate(async () => {
      const res = await fetch('/_/api/api/v1/namespaces');
      const list = (await res.json()) as { kind: string; items: Array<{ metadata: { name: string } }> };
      const watch = await fetch('/_/api/api/v1/namespaces?watch=1');
      const reader = watch.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      await reader.cancel();
      const missing = await fetch('/_/api/api/v1/namespaces/nope');
      return { status: res.status, kind: list.kind, names: list.items.map((i) => i.metadata.name), first, missing: [missing.status, ((await missing.json()) as { message: string }).message] };
    });
    expect(r.status).toBe(200);
    expect(r.kind).toBe('NamespaceList');
    expect(r.names).toEqual(expect.arrayContaining(['default', 'kube-system']));
    expect(JSON.parse(r.first.split('\n')[0])).toMatchObject({ type: 'ADDED', object: { kind: 'Namespace' } });
    expect(r.missing).toEqual([404, 'namespaces "nope" not found']);
  }, 60_000);

  it("a NodePort's Open link shows nginx's page in the preview origin's frame; root-relative requests stay in its scope", async () => {
    const { page } = fixture;
    expect((await kubectl(page, 'apply -f -', NGINX)).exitCode).toBe(0);
    await waitForKubectl(page, 'get endpoints web -o jsonpath={.subsets[0].addresses[0].ip}', (r) => /\d/.test(r.stdout), 60_000);
    const nodePort = (await kubectl(page, 'get svc web -o jsonpath={.spec.ports[0].nodePort}')).stdout;
    const link = page.locator('[data-service="web"] [data-testid="service-nodeport-open"]');
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(`/_/nodeport/${nodePort}/`);
    await link.click();
    const frameEl = page.getByTestId('preview-frame');
    await frameEl.waitFor();
    expect(await frameEl.getAttribute('data-url')).toBe(`/_/nodeport/${nodePort}/`);
    expect(await frameEl.getAttribute('data-mode')).toBe('second-origin');
    expect(await page.getByTestId('preview-url').inputValue()).toBe(`/_/nodeport/${nodePort}/`);
    const frame = page.frameLocator('[data-testid="preview-frame"]').frameLocator('#page');
    await expect.poll(() => frame.locator('h1').textContent(), { timeout: 20_000 }).toBe('Welcome to nginx!');

    // the framed page is on the preview origin (no CSP sandbox there, it may run scripts); requests it makes to
    // root-relative URLs reach nginx through its scope, and /_/api/ is refused to it
    expect(await frameEl.getAttribute('sandbox')).not.toContain('allow-top-navigation');
    const inner = page.frames().find((f) => f.url().startsWith('http') && new URL(f.url()).pathname === `/_/nodeport/${nodePort}/`)!;
    expect(new URL(inner.url()).origin).not.toBe(new URL(page.url()).origin);
    const probe = await inner.evaluate(async () => {
      const res = await fetch('/index.html');
      const api = await fetch('/_/api/api/v1/secrets');
      return { status: res.status, server: res.headers.get('server'), csp: res.headers.get('content-security-policy'), title: /<title>(.*)<\/title>/.exec(await res.text())?.[1], api: api.status };
    });
    expect(probe).toMatchObject({ status: 200, title: 'Welcome to nginx!', api: 403 });
    expect(probe.server).toMatch(/^nginx/);
    expect(probe.csp).toBeNull();
    const log = await kubectl(page, 'logs deploy/web');
    expect(log.stdout).toMatch(/"GET \/index\.html HTTP\/1\.1" 200/);
  }, 120_000);

  it('kubectl port-forward in the terminal prints what kubectl prints and opens the preview on /_/portforward/<port>/', async () => {
    const { page } = fixture;
    await page.getByTestId('preview-close').click();
    await page.click('[data-testid=terminal]');
    await page.keyboard.type('kubectl port-forward svc/web 8080:80\n');
    await expect.poll(() => terminalText(page), { timeout: 20_000 }).toContain('Forwarding from [::1]:8080 -> 80');
    expect(await terminalText(page)).toContain('Forwarding from 127.0.0.1:8080 -> 80');
    expect(await page.getByTestId('preview-frame').getAttribute('data-url')).toBe('/_/portforward/8080/');
    const frame = page.frameLocator('[data-testid="preview-frame"]').frameLocator('#page');
    await expect.poll(() => frame.locator('h1').textContent(), { timeout: 20_000 }).toBe('Welcome to nginx!');
    await expect.poll(() => terminalText(page), { timeout: 10_000 }).toContain('Handling connection for 8080');
    // a second forward on the same local port is refused, as a busy TCP port is
    const busy = await kubectl(page, 'port-forward deploy/web 8080:80');
    expect(busy.stderr).toContain('Unable to listen on port 8080: Listeners failed to create with the following errors: [unable to create listener: Error listen tcp4 127.0.0.1:8080: bind: address already in use unable to create listener: Error listen tcp6 [::1]:8080: bind: address already in use]');
    expect(busy.stderr).toContain('error: unable to listen on any of the requested ports: [{8080 80}]');
    // Ctrl-C ends the forward: the id is gone
    await page.click('[data-testid=terminal]');
    await page.keyboard.press('Control+C');
    await expect
      .poll(() => page.evaluate(() => fetch('/_/portforward/8080/').then((r) => r.status)), { timeout: 10_000 })
      .toBe(404);
  }, 120_000);
});

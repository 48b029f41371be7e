import { inject } from 'vitest';
import { describe, expect, it } from 'vitest';
import { clusterPageFixture, kubectl, waitForKubectl } from './page-helpers';

// Pods and Services you open in the browser: the /_/ Service Worker hands each request to the tab that
// runs the cluster, which sends it over the pod network as HTTP/1.1 (src/ui/sw, src/network/http).
const MANIFEST = `apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers: [{name: echo, image: hashicorp/http-echo, args: ["-text=hello from the browser"], ports: [{containerPort: 5678, name: http}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{name: http, port: 5678, targetPort: http}]
`;

describe('opening pods and Services in the browser', () => {
  const fixture = clusterPageFixture();

  it('a new tab on /_/svc/…, /_/pod/… (and the old /proxy/… aliases) shows http-echo; errors are pages; the UI links there', async () => {
    const { page, context } = fixture;
    const base = inject('baseUrl').replace(/\/$/, '');
    expect(await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.active?.scriptURL))).toBe(`${base}/proxy-sw.js`);
    expect((await kubectl(page, 'apply -f -', MANIFEST)).exitCode).toBe(0);
    const eps = await waitForKubectl(page, 'get endpoints web -o json', (r) => !!(JSON.parse(r.stdout || '{}') as { subsets?: Array<{ addresses?: unknown[] }> }).subsets?.[0]?.addresses?.length, 60_000);
    const ip = (JSON.parse(eps.stdout) as { subsets: Array<{ addresses: Array<{ ip: string }> }> }).subsets[0].addresses[0].ip;

    const tab = await context.newPage();
    const res = await tab.goto(`${base}/_/svc/default/web:5678/`);
    expect(res?.status()).toBe(200);
    expect(await tab.textContent('body')).toBe('hello from the browser\n');
    expect(res?.headers()['cross-origin-resource-policy']).toBe('same-origin');
    expect(res?.headers()['content-security-policy']).toMatch(/^sandbox /);
    // the pod's page runs no script: nothing in it can reach the app's IndexedDB or DOM
    expect(res?.headers()['content-security-policy']).not.toContain('allow-scripts');
    expect(res?.headers()['content-security-policy']).toContain("script-src 'none'");

    expect(await (await tab.goto(`${base}/_/svc/default/web:http/health`))?.text()).toBe('{"status":"ok"}\n');
    expect(await (await tab.goto(`${base}/_/pod/default/web:5678/x?y=1`))?.text()).toBe('hello from the browser\n');
    // the old /proxy/ URLs redirect to their /_/ form
    const old = await tab.goto(`${base}/proxy/service/default/web:5678/a?b=1`);
    expect([old?.status(), tab.url(), await tab.textContent('body')]).toEqual([200, `${base}/_/svc/default/web:5678/a?b=1`, 'hello from the browser\n']);

    const refused = await tab.goto(`${base}/_/pod/default/web:80/`);
    expect(refused?.status()).toBe(502);
    expect(await tab.textContent('pre')).toBe(`dial tcp ${ip}:80: connect: connection refused`);
    const unknown = await tab.goto(`${base}/_/svc/default/nope:80/`);
    expect([unknown?.status(), await tab.textContent('pre')]).toEqual([404, 'services "nope" not found']);
    await kubectl(page, 'create service clusterip empty --tcp=80');
    const empty = await tab.goto(`${base}/_/svc/default/empty:80/`);
    expect([empty?.status(), await tab.textContent('pre')]).toEqual([503, 'no endpoints available for service "empty"']);

    // the cluster view links to the same URLs
    await page.getByTestId('service-open').first().waitFor();
    expect(await page.locator('[data-service="web"] [data-testid="service-open"]').getAttribute('href')).toBe('/_/svc/default/web:5678/');
    expect(await page.locator('[data-pod="web"] [data-testid="pod-open"]').getAttribute('href')).toBe('/_/pod/default/web:5678/');
    await tab.close();
  }, 180_000);

  it('a NodePort Service answers through /_/nodeport/<nodePort>/ (and the old /proxy/node/<ip>:<nodePort>/)', async () => {
    const { page, context } = fixture;
    const base = inject('baseUrl').replace(/\/$/, '');
    const svc = JSON.parse((await kubectl(page, 'get svc web -o json')).stdout) as { spec: { ports: Array<{ nodePort: number }> } };
    const node = JSON.parse((await kubectl(page, 'get node tabernetes-worker -o json')).stdout) as { status: { addresses: Array<{ type: string; address: string }> } };
    const nodeIP = node.status.addresses.find((a) => a.type === 'InternalIP')!.address;
    const tab = await context.newPage();
    const href = await page.locator('[data-service="web"] [data-testid="service-nodeport-open"]').getAttribute('href');
    expect(href).toBe(`/_/nodeport/${svc.spec.ports[0].nodePort}/`);
    const res = await tab.goto(`${base}${href}`);
    expect([res?.status(), await tab.textContent('body')]).toEqual([200, 'hello from the browser\n']);
    const old = await tab.goto(`${base}/proxy/node/${nodeIP}:${svc.spec.ports[0].nodePort}/`);
    expect([old?.status(), tab.url()]).toEqual([200, `${base}/_/nodeport/${svc.spec.ports[0].nodePort}/`]);
    await tab.close();
  }, 60_000);

  it('serves many requests from the page through the Service Worker (figures: sequential, and 200 in flight)', async () => {
    const { page } = fixture;
    const r = await page.evaluate(async () => {
      const get = async () => {
        const res = await fetch('/_/svc/default/web:5678/');
        return res.status === 200 && (await res.text()) === 'hello from the browser\n';
      };
      let t = performance.now();
      let ok = 0;
      for (let i = 0; i < 50; i++) ok += Number(await get());
      const sequentialMs = (performance.now() - t) / 50;
      t = performance.now();
      const all = await Promise.all(Array.from({ length: 200 }, get));
      const perSecond = 200 / ((performance.now() - t) / 1000);
      return { ok: ok + all.filter(Boolean).length, sequentialMs, perSecond };
    });
    console.log(`browser-open: ${r.sequentialMs.toFixed(2)} ms per sequential request, ${Math.round(r.perSecond)} requests/s with 200 in flight`);
    expect(r.ok).toBe(250);
  }, 60_000);
});

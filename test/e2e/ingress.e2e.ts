import { describe, expect, it } from 'vitest';
import { clusterPageFixture, kubectl, waitForKubectl } from './page-helpers';

// Ingress in the tab: the boot installs the ingress-nginx addon (IngressClass tabernetes, its controller pod in
// namespace ingress-nginx); an Ingress routes by host and path to two http-echo Services. The request goes
// where the Service Worker's /_/ingress/<host>/… sends it: Service ingress-nginx-controller port 80, Host: <host>.
describe('Ingress in the tab', () => {
  const fixture = clusterPageFixture();

  it('the controller pod serves host and path routing to two backends; kubectl shows the class and ADDRESS', async () => {
    const { page } = fixture;
    const echo = (n: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: ${n}, labels: {app: ${n}}}\nspec:\n  containers: [{name: echo, image: hashicorp/http-echo, args: ["-text=${n}"], ports: [{name: http, containerPort: 5678}]}]\n---\n` +
      `apiVersion: v1\nkind: Service\nmetadata: {name: ${n}}\nspec:\n  selector: {app: ${n}}\n  ports: [{port: 80, targetPort: http}]\n`;
    const ingress =
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: demo}\nspec:\n  rules:\n' +
      '  - host: foo.example.com\n    http:\n      paths:\n      - {path: /apple, pathType: Prefix, backend: {service: {name: apple, port: {number: 80}}}}\n' +
      '      - {path: /banana, pathType: Exact, backend: {service: {name: banana, port: {number: 80}}}}\n' +
      '  - host: bar.example.com\n    http:\n      paths:\n      - {path: /, pathType: Prefix, backend: {service: {name: banana, port: {number: 80}}}}\n';
    const client = 'apiVersion: v1\nkind: Pod\nmetadata: {name: bb}\nspec:\n  terminationGracePeriodSeconds: 1\n  containers: [{name: bb, image: busybox, command: [sleep, "3600"]}]\n';
    // The addon installs its IngressClass at boot; the DefaultIngressClass admission plugin then names it in a class-less Ingress.
    const cls = await waitForKubectl(page, 'get ingressclass', (r) => r.stdout.includes('tabernetes'), 30_000);
    expect(cls.stdout).toMatch(/^NAME\s+CONTROLLER\s+PARAMETERS\s+AGE\ntabernetes\s+k8s\.io\/ingress-nginx\s+<none>\s+/);
    expect((await kubectl(page, 'apply -f -', [echo('apple'), echo('banana'), client].join('---\n'))).exitCode).toBe(0);
    await waitForKubectl(page, 'get pods -n ingress-nginx', (r) => /\ningress-nginx-controller-\S+\s+1\/1\s+Running\s+/.test(r.stdout), 120_000);
    for (const n of ['apple', 'banana', 'bb']) await waitForKubectl(page, `get pod ${n} -o jsonpath={.status.phase}`, (r) => r.stdout === 'Running', 60_000);

    const get = async (host: string, path: string) => {
      const r = await kubectl(page, `exec bb -- sh -c "{ echo 'GET ${path} HTTP/1.0'; echo 'Host: ${host}'; echo; } | nc ingress-nginx-controller.ingress-nginx 80"`);
      const [head, body = ''] = r.stdout.split('\r\n\r\n');
      return `${head.split('\r\n')[0]} ${body.trim()}`.trim();
    };
    // A new Ingress on a running controller routes within seconds: the controller writes the conf, stamps its
    // running pod, the kubelet rewrites the ConfigMap volume at once and nginx reloads the file within a second.
    expect((await kubectl(page, 'apply -f -', ingress)).exitCode).toBe(0);
    const applied = Date.now();
    while (Date.now() - applied < 10_000 && (await get('foo.example.com', '/apple')) !== 'HTTP/1.1 200 OK apple') await new Promise((r) => setTimeout(r, 250));
    const routedMs = Date.now() - applied;
    console.log(`new Ingress routed after ${routedMs} ms`);
    expect(routedMs).toBeLessThan(10_000);
    const ing = await waitForKubectl(page, 'get ingress demo', (r) => /172\.18\.255\.\d+/.test(r.stdout), 60_000);
    expect(ing.stdout).toMatch(/^NAME\s+CLASS\s+HOSTS\s+ADDRESS\s+PORTS\s+AGE\ndemo\s+tabernetes\s+foo\.example\.com,bar\.example\.com\s+172\.18\.255\.\d+\s+80\s+/);
    expect(await get('foo.example.com', '/apple/pie')).toBe('HTTP/1.1 200 OK apple');
    expect(await get('foo.example.com', '/banana')).toBe('HTTP/1.1 200 OK banana');
    expect(await get('bar.example.com', '/anything')).toBe('HTTP/1.1 200 OK banana');
    expect(await get('foo.example.com', '/banana/split')).toMatch(/^HTTP\/1\.1 404 Not Found <html>/);
    expect(await get('nobody.example.com', '/apple')).toMatch(/^HTTP\/1\.1 404 Not Found <html>[\s\S]*<center>nginx<\/center>/);

    const ev = await kubectl(page, 'describe ingress demo');
    expect(ev.stdout).toMatch(/Normal\s+Sync\s+\S+\s+nginx-ingress-controller\s+Scheduled for sync/);
  }, 300_000);
});

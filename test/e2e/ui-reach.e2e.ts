import { describe, expect, it } from 'vitest';
import { readTar } from '../../src/kubectl/commands/cp-tar';
import { createFsImageSource } from '../../src/node/fs-image-source';
import type { OciManifest } from '../../src/workers/runtime/image-source';
import { clusterPageFixture, kubectl, waitForKubectl, waitForReady } from './page-helpers';

// Features reachable from the page's UI: importing a user's .wasm as local/<name> and running it, the
// Ingresses list with an Open link per host/path rule, and the audit view of the apiserver's recent requests.

/** The /hello module of the built hello-world image (public/images): a real WASI preview1 command module. */
async function helloWasm(): Promise<Buffer> {
  const src = createFsImageSource();
  const desc = (await src.readIndex()).manifests.find((m) => m.annotations?.['io.containerd.image.name'] === 'docker.io/library/hello-world:latest')!;
  const manifest = JSON.parse(new TextDecoder().decode(await src.readBlob(desc.digest))) as OciManifest;
  const file = readTar(await src.readBlob(manifest.layers[0]!.digest)).find((e) => e.name.replace(/^\.?\//, '') === 'hello')!;
  return Buffer.from(file.data);
}

describe('UI reachability', () => {
  const fixture = clusterPageFixture();

  it('imports a .wasm in the dialog as local/<name>, which kubectl run then runs on a node; a dropped .wasm opens the dialog', async () => {
    const { page } = fixture;
    await page.getByTestId('import-wasm-open').click();
    const dialog = page.getByTestId('import-wasm-dialog');
    await dialog.waitFor();
    // not a module: refused with a reason
    await page.getByTestId('wasm-file').setInputFiles({ name: 'notes.wasm', mimeType: 'application/wasm', buffer: Buffer.from('hello, not wasm') });
    await page.getByTestId('wasm-import').click();
    await expect.poll(() => page.getByTestId('wasm-message').textContent()).toContain('not a WebAssembly module');

    await page.getByTestId('wasm-file').setInputFiles({ name: 'Greeter.wasm', mimeType: 'application/wasm', buffer: await helloWasm() });
    expect(await page.getByTestId('wasm-name').inputValue()).toBe('greeter');
    await page.getByTestId('wasm-import').click();
    await expect.poll(() => page.getByTestId('wasm-message').textContent(), { timeout: 10_000 }).toMatch(/^Imported local\/greeter:latest \([\d.]+ KiB\), on every node\. Run it:\nkubectl run greeter --image=local\/greeter --restart=Never$/);
    await page.locator('[data-testid="local-image"][data-image="local/greeter"]').waitFor();
    // kept in IndexedDB (survives a reload): the library's record
    const stored = await page.evaluate(
      () =>
        new Promise<unknown>((resolve, reject) => {
          const req = indexedDB.open('tabernetes-local-images');
          req.onsuccess = () => {
            const get = req.result.transaction('images').objectStore('images').getAllKeys();
            get.onsuccess = () => (resolve(get.result), req.result.close());
          };
          req.onerror = () => reject(req.error);
        }),
    );
    expect(stored).toEqual(['docker.io/local/greeter:latest']);
    await page.getByTestId('import-wasm-close').click();

    expect((await kubectl(page, 'run greeter --image=local/greeter --restart=Never')).stdout).toBe('pod/greeter created\n');
    await waitForKubectl(page, 'get pod greeter -o jsonpath={.status.phase}', (r) => r.stdout === 'Succeeded', 60_000);
    const logs = await kubectl(page, 'logs greeter');
    expect(logs.stdout).toContain('Hello from Tabernetes!\n');
    expect(logs.stdout).toContain('/greeter\n');
    expect((await kubectl(page, 'get pod greeter -o jsonpath={.status.containerStatuses[0].imageID}')).stdout).toMatch(/^docker\.io\/local\/greeter@sha256:[0-9a-f]{64}$/);

    // dropping a .wasm anywhere on the page opens the dialog with that file and a name from it
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])], 'my_tool.wasm', { type: 'application/wasm' }));
      document.querySelector('[data-testid="terminal"], .terminal-pane')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    await dialog.waitFor();
    expect(await page.getByTestId('wasm-name').inputValue()).toBe('my-tool');
    await page.getByTestId('wasm-import').click();
    await expect.poll(() => page.getByTestId('wasm-message').textContent()).toContain('my_tool.wasm: no _start export');
    await page.getByTestId('import-wasm-close').click();
    // a file drop nothing takes opens the dialog with an error rather than navigating away from the cluster
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['x'], 'notes.txt', { type: 'text/plain' }));
      document.querySelector('[data-testid="cluster"]')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    await expect.poll(() => page.getByTestId('wasm-message').textContent()).toBe('notes.txt is not a .wasm file');
    expect(await page.getByTestId('wasm-import').isDisabled()).toBe(true);
    await page.getByTestId('import-wasm-close').click();
  }, 120_000);

  it('lists Ingresses with class, hosts, address and ports, and an Open link per host/path rule into the preview pane', async () => {
    const { page } = fixture;
    const app =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: apple, labels: {app: apple}}\nspec:\n  containers: [{name: echo, image: hashicorp/http-echo, args: ["-text=apple"], ports: [{containerPort: 5678}]}]\n---\n' +
      'apiVersion: v1\nkind: Service\nmetadata: {name: apple}\nspec:\n  selector: {app: apple}\n  ports: [{port: 80, targetPort: 5678}]\n---\n' +
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: fruit}\nspec:\n  rules:\n' +
      '  - host: foo.example.com\n    http:\n      paths:\n      - {path: /apple, pathType: Prefix, backend: {service: {name: apple, port: {number: 80}}}}\n' +
      '  - http:\n      paths:\n      - {path: /, pathType: Prefix, backend: {service: {name: apple, port: {number: 80}}}}\n';
    expect((await kubectl(page, 'apply -f -', app)).exitCode).toBe(0);
    const row = page.locator('[data-testid="ingress"][data-ingress="fruit"]');
    await row.waitFor({ timeout: 20_000 });
    expect(await row.getByTestId('ingress-hosts').textContent()).toBe('foo.example.com');
    await expect.poll(() => row.getByTestId('ingress-address').textContent(), { timeout: 60_000 }).toMatch(/^172\.18\.255\.\d+$/);
    const address = (await row.getByTestId('ingress-address').textContent())!;
    expect(await row.textContent()).toContain('ports 80');
    const links = row.getByTestId('ingress-open');
    await expect.poll(() => links.count()).toBe(2);
    expect(await links.nth(0).getAttribute('href')).toBe('/_/ingress/foo.example.com/apple');
    // the host-less rule is opened at the controller's address
    expect(await links.nth(1).getAttribute('href')).toBe(`/_/ingress/${address}/`);

    await links.nth(0).click();
    const frameEl = page.getByTestId('preview-frame');
    await frameEl.waitFor();
    expect(await frameEl.getAttribute('data-url')).toBe('/_/ingress/foo.example.com/apple');
    // once the controller pod serves, the page is the backend's answer (reload the pane until then); the pane's
    // frame holds the preview origin's bootstrap page, the page itself is its #page frame
    const frame = page.frameLocator('[data-testid="preview-frame"]').frameLocator('#page');
    await expect
      .poll(
        async () => {
          const text = ((await frame.locator('body').textContent({ timeout: 5000 }).catch(() => '')) ?? '').trim();
          if (text !== 'apple') await page.getByTestId('preview-reload').click();
          return text;
        },
        { timeout: 150_000, interval: 2000 },
      )
      .toBe('apple');
  }, 240_000);

  it('an imported image survives a reload: the dialog lists it and a new pod runs it', async () => {
    const { page } = fixture;
    await page.reload();
    await waitForReady(page);
    await page.getByTestId('import-wasm-open').click();
    await page.locator('[data-testid="local-image"][data-image="local/greeter"]').waitFor({ timeout: 10_000 });
    await page.getByTestId('import-wasm-close').click();
    expect((await kubectl(page, 'run greeter2 --image=local/greeter:latest --restart=Never')).exitCode).toBe(0);
    await waitForKubectl(page, 'get pod greeter2 -o jsonpath={.status.phase}', (r) => r.stdout === 'Succeeded', 60_000);
    expect((await kubectl(page, 'logs greeter2')).stdout).toContain('Hello from Tabernetes!\n');
  }, 120_000);

  it('the audit view lists a request kubectl made, filtered, with code and latency', async () => {
    const { page } = fixture;
    expect((await kubectl(page, 'get configmaps -n kube-public')).exitCode).toBe(0);
    expect((await kubectl(page, 'get secret nope-404')).exitCode).toBe(1);
    await page.getByTestId('audit-open').click();
    await page.getByTestId('audit-view').waitFor();
    await page.getByTestId('audit-filter').fill('resource=configmaps ns=kube-public');
    const rows = page.getByTestId('audit-row');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const cells = await rows.first().locator('td').allTextContents();
    expect(cells.slice(1, 6)).toEqual(['kubernetes-admin', 'list', 'configmaps', 'kube-public/', '200']);
    expect(cells[0]).toMatch(/^\d\d:\d\d:\d\d$/);
    expect(cells[6]).toMatch(/^<1ms$|^\d+ms$|^\d+\.\d\ds$/);
    expect(await rows.first().getAttribute('title')).toMatch(/^\/api\/v1\/namespaces\/kube-public\/configmaps(\?limit=500)?$/);

    await page.getByTestId('audit-filter').fill('code=4xx nope-404');
    await expect.poll(async () => (await rows.first().locator('td').allTextContents()).slice(2, 6), { timeout: 10_000 }).toEqual(['get', 'secrets', 'default/nope-404', '404']);
    // live: a new request appears without reopening the view
    await page.getByTestId('audit-filter').fill('name=live-check');
    expect(await rows.count()).toBe(0);
    await kubectl(page, 'get cm live-check');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);
    await page.getByTestId('audit-close').click();
    expect(await page.getByTestId('audit-view').count()).toBe(0);
  }, 60_000);

  it('the audit view flags an audited policy failure and shows the entry\'s annotations, by mouse and keyboard', async () => {
    const { page } = fixture;
    const policy = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: no-secrets}
spec:
  matchConstraints:
    resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}]
  validations: [{expression: "!has(object.data) || !('secret' in object.data)", message: no secrets in configmaps}]
  auditAnnotations: [{key: keys, valueExpression: "has(object.data) ? string(size(object.data)) : '0'"}]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: no-secrets-b}
spec: {policyName: no-secrets, validationActions: [Audit, Warn]}
`;
    const applied = await kubectl(page, 'apply -f -', policy);
    expect(applied.exitCode, applied.stderr).toBe(0);
    // the policy takes effect once the apiserver's policy index has it: retry with fresh names until it warns
    let warned = false;
    for (let i = 0; i < 50 && !warned; i++) {
      const r = await kubectl(page, `create configmap audited-${i} --from-literal=secret=1`);
      expect(r.exitCode, r.stderr).toBe(0);
      warned = r.stderr.includes('Validation failed');
      if (!warned) await page.waitForTimeout(200);
    }
    expect(warned).toBe(true);

    await page.getByTestId('audit-open').click();
    await page.getByTestId('audit-failures-only').check();
    const rows = page.getByTestId('audit-row');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    // only flagged rows are shown; the newest is the one that warned
    expect(await rows.count()).toBe(await page.getByTestId('audit-policy-flag').count());
    expect((await rows.first().locator('td').allTextContents()).slice(2, 6)).toEqual(['create', 'configmaps', 'default/ policy ✗', '201']);

    await rows.first().click();
    const detail = page.getByTestId('audit-detail');
    await detail.waitFor();
    expect(await detail.textContent()).toContain('requestURI/api/v1/namespaces/default/configmaps');
    const annotations = Object.fromEntries((await page.getByTestId('audit-annotation').evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (td) => td.textContent ?? '')))) as Array<[string, string]>);
    expect(annotations).toMatchObject({ 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': '', 'no-secrets/keys': '1' });
    expect(JSON.parse(annotations['validation.policy.admission.k8s.io/validation_failure']!)).toEqual([
      { message: 'no secrets in configmaps', policy: 'no-secrets', binding: 'no-secrets-b', expressionIndex: 0, validationActions: ['Audit', 'Warn'] },
    ]);
    expect(await page.getByTestId('audit-policy-failure').allTextContents()).toEqual([
      "Validation failed for ValidatingAdmissionPolicy 'no-secrets' with binding 'no-secrets-b': no secrets in configmaps (validations[0]; actions Audit, Warn)",
    ]);
    await page.getByTestId('audit-detail-close').click();
    expect(await detail.count()).toBe(0);

    // keyboard: Enter opens the focused row's details, Escape closes them
    await rows.first().focus();
    await page.keyboard.press('Enter');
    await detail.waitFor();
    expect(await page.getByTestId('audit-annotation').count()).toBeGreaterThan(2);
    await page.keyboard.press('Escape');
    expect(await detail.count()).toBe(0);

    // Up/Down move focus and the open details along the (paused, so still) rows
    await page.getByTestId('audit-pause').check();
    await page.getByTestId('audit-failures-only').uncheck();
    await rows.first().focus();
    await page.keyboard.press(' ');
    await detail.waitFor();
    await page.keyboard.press('ArrowDown');
    const second = (await rows.nth(1).getAttribute('title'))!;
    expect(await rows.nth(1).evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await rows.nth(1).getAttribute('aria-selected')).toBe('true');
    expect(await detail.locator('header .muted').textContent()).toBe(second);
    await page.keyboard.press('ArrowUp');
    expect(await rows.first().getAttribute('aria-selected')).toBe('true');
    await page.getByTestId('audit-close').click();
  }, 90_000);
});

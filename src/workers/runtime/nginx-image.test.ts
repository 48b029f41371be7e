import { describe, expect, it } from 'vitest';
import { imagePodFixture } from '../../../test/image-pod-fixture';
import { dialTcp, type AsyncConn } from '../../network';

// Behaviour of images/nginx (docker.io/library/nginx) in a pod on the network fabric, dialled from JS as the
// kubelet (probes, port-forward) and kube-proxy do.
const enc = new TextEncoder();
const dec = new TextDecoder();
const { fabric, startPod: start, dial, request } = imagePodFixture('nginx', { fabric: { slots: 128, ringBytes: 16384 } });

const startPod = (podIP: string, opts: { command?: string[]; conf?: string } = {}) =>
  start(podIP, 'nginx:1.27', 'web', [], undefined, {
    container: 'nginx',
    command: opts.command,
    mount: opts.conf ? { containerPath: '/etc/nginx/conf.d', files: { 'default.conf': opts.conf } } : undefined,
  });

/** Reads one response (head + Content-Length body) from a keep-alive connection. */
async function readResponse(conn: AsyncConn, pending: { buf: string }): Promise<string> {
  for (;;) {
    const end = pending.buf.indexOf('\r\n\r\n');
    if (end >= 0) {
      const len = Number(/Content-Length: (\d+)/i.exec(pending.buf.slice(0, end))?.[1] ?? 0);
      if (pending.buf.length >= end + 4 + len) {
        const res = pending.buf.slice(0, end + 4 + len);
        pending.buf = pending.buf.slice(end + 4 + len);
        return res;
      }
    }
    const chunk = await conn.read();
    if (!chunk) throw new Error(`connection closed with ${JSON.stringify(pending.buf)}`);
    pending.buf += dec.decode(chunk);
  }
}

describe('nginx image', () => {
  it('serves the stock welcome page, logs like the image (entrypoint, notices, access log) and 404s as nginx', async () => {
    const pod = await startPod('10.244.2.10');
    const res = await request('10.244.2.10', 80, 'GET / HTTP/1.1\r\nHost: 10.244.2.10\r\nUser-Agent: Wget\r\nConnection: close\r\n\r\n');
    expect(res).toMatch(/^HTTP\/1\.1 200 OK\r\nServer: nginx\/1\.27\.5\r\nDate: .* GMT\r\nContent-Type: text\/html\r\nContent-Length: 615\r\n/);
    expect(res).toContain('\r\n\r\n<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>');
    expect(res).toMatch(/Content-Length: 615\r\nLast-Modified: .* GMT\r\nConnection: close\r\nETag: "[0-9a-f]+-267"\r\nAccept-Ranges: bytes\r\n\r\n/);
    const missing = await request('10.244.2.10', 80, 'GET /nope HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    expect(missing).toMatch(/^HTTP\/1\.1 404 Not Found\r\n[\s\S]*Content-Length: 153\r\n[\s\S]*\r\n\r\n<html>\r\n<head><title>404 Not Found<\/title><\/head>\r\n<body>\r\n<center><h1>404 Not Found<\/h1><\/center>\r\n<hr><center>nginx\/1\.27\.5<\/center>\r\n<\/body>\r\n<\/html>\r\n$/);
    const dir = await request('10.244.2.10', 80, 'HEAD /50x.html HTTP/1.0\r\n\r\n');
    expect(dir).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*Content-Length: 497\r\n[\s\S]*Connection: close\r\n[\s\S]*\r\n\r\n$/);
    await expect.poll(pod.logs, { timeout: 10_000 }).toMatch(/"HEAD \/50x\.html HTTP\/1\.0" 200 0 "-" "-" "-"/);
    const logs = await pod.logs();
    expect(logs).toContain('/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh\n10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf');
    expect(logs).toContain('/docker-entrypoint.sh: Configuration complete; ready for start up');
    expect(logs).toMatch(/\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \[notice\] 1#1: nginx\/1\.27\.5\n.*\[notice\] 1#1: built by clang \(Tabernetes WASI build, wasm32-wasip1\)/);
    expect(logs).toMatch(/^10\.244\.1\.3 - - \[\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d \+0000\] "GET \/ HTTP\/1\.1" 200 615 "-" "Wget" "-"$/m);
    expect(logs).toMatch(/\[error\] 1#1: \*\d+ open\(\) "\/usr\/share\/nginx\/html\/nope" failed \(2: No such file or directory\), client: 10\.244\.1\.3, server: localhost, request: "GET \/nope HTTP\/1\.1", host: "a"/);
    await pod.runtime.stopContainer(pod.id, 5);
    const st = await pod.runtime.containerStatus(pod.id);
    expect(st.exitCode).toBe(0);
    expect(await pod.logs()).toMatch(/\[notice\] 1#1: signal 15 \(SIGTERM\) received, exiting\n.*\[notice\] 1#1: exiting\n.*\[notice\] 1#1: exit$/);
    await expect(dialTcp(fabric, '10.244.2.10', 80)).rejects.toThrow('connection refused');
  }, 120_000);

  it('honours a mounted default.conf: listen, location = and prefix, return, try_files, autoindex, error_page', async () => {
    const conf = `server {
    listen 8080;
    server_name example;
    root /usr/share/nginx/html;
    location = /healthz { return 200 "ok from $hostname\\n"; }
    location /old { return 301 /new; }
    location /gone { return 410; }
    location /spa/ { try_files $uri /index.html; }
    location /files/ { alias /usr/share/doc/nginx/; autoindex on; }
    error_page 404 /50x.html;
}
`;
    const pod = await startPod('10.244.2.11', { conf });
    const [health, old, gone, spa, files, missing] = await Promise.all([
      request('10.244.2.11', 8080, 'GET /healthz HTTP/1.1\r\nHost: example\r\nConnection: close\r\n\r\n'),
      request('10.244.2.11', 8080, 'GET /old/x HTTP/1.1\r\nHost: example:8080\r\nConnection: close\r\n\r\n'),
      request('10.244.2.11', 8080, 'GET /gone HTTP/1.1\r\nHost: example\r\nConnection: close\r\n\r\n'),
      request('10.244.2.11', 8080, 'GET /spa/deep/link HTTP/1.1\r\nHost: example\r\nConnection: close\r\n\r\n'),
      request('10.244.2.11', 8080, 'GET /files/ HTTP/1.1\r\nHost: example\r\nConnection: close\r\n\r\n'),
      request('10.244.2.11', 8080, 'GET /missing HTTP/1.1\r\nHost: example\r\nConnection: close\r\n\r\n'),
    ]);
    expect(health).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*Content-Type: application\/octet-stream\r\nContent-Length: 12\r\n[\s\S]*\r\n\r\nok from web\n$/);
    expect(old).toMatch(/^HTTP\/1\.1 301 Moved Permanently\r\n[\s\S]*Location: http:\/\/example:8080\/new\r\n[\s\S]*<center><h1>301 Moved Permanently<\/h1><\/center>/);
    expect(gone).toMatch(/^HTTP\/1\.1 410 /);
    expect(spa).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*Content-Length: 615\r\n[\s\S]*Welcome to nginx!/);
    expect(files).toMatch(/<h1>Index of \/files\/<\/h1><hr><pre><a href="\.\.\/">\.\.\/<\/a>\r\n<a href="default\.conf">default\.conf<\/a> +\d\d-\w{3}-\d{4} \d\d:\d\d +\d+\r\n/);
    expect(missing).toMatch(/^HTTP\/1\.1 404 Not Found\r\n[\s\S]*Content-Length: 497\r\n[\s\S]*An error occurred\./);
    await expect(dialTcp(fabric, '10.244.2.11', 80)).rejects.toThrow('connection refused');
    const logs = await pod.logs();
    expect(logs).toMatch(/10-listen-on-ipv6-by-default\.sh: info: (can not modify \/etc\/nginx\/conf\.d\/default\.conf \(read-only file system\?\)|\/etc\/nginx\/conf\.d\/default\.conf differs from the packaged version)/);
    await pod.runtime.stopContainer(pod.id, 0);
  }, 120_000);

  it('`nginx -v`, `nginx -t`, and a broken config ends with nginx\'s [emerg] message', async () => {
    const v = await startPod('10.244.2.12', { command: ['nginx', '-v'] });
    await expect.poll(v.logs, { timeout: 10_000 }).toBe('nginx version: nginx/1.27.5');
    const t = await startPod('10.244.2.15', { command: ['nginx', '-t'] });
    await expect.poll(t.logs, { timeout: 10_000 }).toBe('nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful');
    const bad = await startPod('10.244.2.13', { conf: 'server {\n  listen 80;\n  }\n}\n' });
    await expect.poll(bad.logs, { timeout: 10_000 }).toMatch(/\[emerg\] 1#1: unexpected "}" in \/etc\/nginx\/conf\.d\/default\.conf:4\nnginx: \[emerg\] unexpected "}" in \/etc\/nginx\/conf\.d\/default\.conf:4$/);
    await expect.poll(async () => (await bad.runtime.containerStatus(bad.id)).exitCode, { timeout: 10_000 }).toBe(1);
  }, 120_000);

  it('closes idle keep-alive connections after keepalive_timeout; keepalive_timeout 0 closes after each response', async () => {
    await startPod('10.244.2.16', { conf: 'server { listen 80; keepalive_timeout 1; location / { return 200 "hi\\n"; } }\n' });
    const conn = await dial('10.244.2.16', 80);
    const pending = { buf: '' };
    await conn.write(enc.encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    expect(await readResponse(conn, pending)).toMatch(/Connection: keep-alive\r\n\r\nhi\n$/);
    const t0 = performance.now();
    expect(await conn.read()).toBeNull(); // EOF: the server closed the idle connection
    expect(performance.now() - t0).toBeGreaterThan(500);
    conn.close();
    await startPod('10.244.2.17', { conf: 'server { listen 80; keepalive_timeout 0; location / { return 200 "hi\\n"; } }\n' });
    expect(await request('10.244.2.17', 80, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n')).toMatch(/Connection: close\r\n\r\nhi\n$/);
  }, 30_000);

  it('serves 50 parallel keep-alive clients (10 requests each) and measures loopback requests/s', async () => {
    const pod = await startPod('10.244.2.14');
    const req = enc.encode('GET / HTTP/1.1\r\nHost: x\r\nUser-Agent: bench\r\n\r\n');
    const client = async (n: number) => {
      const conn = await dial('10.244.2.14', 80);
      const pending = { buf: '' };
      let ok = 0;
      for (let i = 0; i < n; i++) {
        await conn.write(req);
        const res = await readResponse(conn, pending);
        if (res.startsWith('HTTP/1.1 200 OK') && res.includes('Connection: keep-alive') && res.endsWith('</html>\n')) ok++;
      }
      conn.close();
      return ok;
    };
    await client(1); // warm up
    const t0 = performance.now();
    const oks = await Promise.all(Array.from({ length: 50 }, () => client(10)));
    const parallelMs = performance.now() - t0;
    expect(oks).toEqual(Array(50).fill(10));
    const t1 = performance.now();
    expect(await client(500)).toBe(500);
    const serialMs = performance.now() - t1;
    console.log(`nginx loopback: 50 clients x 10 keep-alive requests: ${Math.round(500_000 / parallelMs)} req/s; one keep-alive client: ${Math.round(500_000 / serialMs)} req/s`);
    await expect.poll(async () => (await pod.logs()).split('"GET / HTTP/1.1" 200 615').length - 1, { timeout: 10_000 }).toBe(1001);
    await pod.runtime.stopContainer(pod.id, 0);
  }, 180_000);
});

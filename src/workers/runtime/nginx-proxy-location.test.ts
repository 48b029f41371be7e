import { describe, expect, it } from 'vitest';
import { imagePodFixture } from '../../../test/image-pod-fixture';
import { listenTcp, type AsyncConn } from '../../network';

// images/nginx: location selection in nginx's documented order (= exact, longest prefix, ^~, regexes in order)
// and proxy_pass serving many clients at once (images/nginx/nginx-location.h, nginx-upstream.h, nginx-loop.h).
const enc = new TextEncoder();
const dec = new TextDecoder();
const { fabric, startPod, dial, request } = imagePodFixture('nginx-proxy', { fabric: { slots: 128, ringBytes: 16384 } });

const start = (podIP: string, conf: string) =>
  startPod(podIP, 'nginx:1.27', 'web', [], undefined, { container: 'nginx', mount: { containerPath: '/etc/nginx/conf.d', files: { 'default.conf': conf } } });

const body = (res: string) => res.slice(res.indexOf('\r\n\r\n') + 4);

/** Reads one request head from conn. */
async function readHead(conn: AsyncConn): Promise<string> {
  let buf = '';
  while (!buf.includes('\r\n\r\n')) {
    const chunk = await conn.read();
    if (!chunk) break;
    buf += dec.decode(chunk);
  }
  return buf;
}

describe('nginx locations and proxy_pass', () => {
  it('selects locations in nginx order: = exact, ^~ prefix, first matching regex (~, ~*), else longest prefix', async () => {
    const conf = `server {
    listen 80;
    location = /exact { return 200 "exact\\n"; }
    location / { return 200 "root\\n"; }
    location /img/ { return 200 "prefix img\\n"; }
    location ^~ /static/ { return 200 "static prefix\\n"; }
    location ~ \\.(png|jpg)$ { return 200 "regex image\\n"; }
    location ~* \\.PNG$ { return 200 "icase png\\n"; }
    location /img/deep/ { return 200 "longer prefix\\n"; }
    location ~ ^/exact { return 200 "regex exact\\n"; }
}
`;
    await start('10.244.3.10', conf);
    const cases: [string, string][] = [
      ['/exact', 'exact'],
      ['/exact/x', 'regex exact'],
      ['/img/a.png', 'regex image'],
      ['/img/a.txt', 'prefix img'],
      ['/static/a.png', 'static prefix'],
      ['/img/deep/a.jpg?v=1', 'regex image'],
      ['/img/deep/x', 'longer prefix'],
      ['/A.PNG', 'icase png'],
      ['/other', 'root'],
    ];
    const got = await Promise.all(cases.map(([path]) => request('10.244.3.10', 80, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`)));
    expect(got.map((r) => body(r).trim())).toEqual(cases.map(([, want]) => want));
  }, 60_000);

  it('rewrite: server-level last, permanent and redirect flags, arguments, location break and last, cycles end in 500', async () => {
    const conf = `server {
    listen 80;
    root /usr/share/nginx/html;
    rewrite ^/old/(.*)$ /new/$1 last;
    rewrite ^/moved/(.*)$ /dest/$1 permanent;
    rewrite ^/temp$ http://example.com/t redirect;
    location /new/ { return 200 "new $uri [$args]\\n"; }
    location /l/ { rewrite ^/l/([a-z]+)$ /new/$1?x=1 last; }
    location /b/ { rewrite ^/b/(.*)$ /$1 break; return 200 "not reached\\n"; }
    location /loop/ { rewrite ^ /loop/ last; }
}
`;
    await start('10.244.3.12', conf);
    const get = (path: string) => request('10.244.3.12', 80, `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    const [old, moved, temp, l, b, loop] = await Promise.all([get('/old/a?q=2'), get('/moved/z?k=v'), get('/temp'), get('/l/abc?y=2'), get('/b/index.html'), get('/loop/x')]);
    expect(body(old)).toBe('new /new/a [q=2]\n');
    expect(moved).toMatch(/^HTTP\/1\.1 301 Moved Permanently\r\n[\s\S]*Location: http:\/\/x\/dest\/z\?k=v\r\n/);
    expect(temp).toMatch(/^HTTP\/1\.1 302 Moved Temporarily\r\n[\s\S]*Location: http:\/\/example\.com\/t\r\n/);
    expect(body(l)).toBe('new /new/abc [x=1&y=2]\n');
    expect(b).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*Welcome to nginx!/);
    expect(loop).toMatch(/^HTTP\/1\.1 500 Internal Server Error\r\n/);
  }, 60_000);

  it('proxies 20 concurrent clients: all 20 upstream requests are open at once and every client gets its answer', async () => {
    const upstream = listenTcp(fabric, '10.244.3.50', 8080, { backlog: 64 });
    const held: { conn: AsyncConn; path: string }[] = [];
    let maxOpen = 0;
    let release!: () => void;
    const all = new Promise<void>((r) => (release = r));
    const timer = setTimeout(() => release(), 20_000); // a sequential proxy never reaches 20: answer anyway
    void (async () => {
      for (;;) {
        const conn = await upstream.accept().catch(() => undefined);
        if (!conn) return;
        void (async () => {
          const head = await readHead(conn);
          held.push({ conn, path: head.split(' ')[1] });
          maxOpen = Math.max(maxOpen, held.length);
          if (held.length === 20) release();
          await all;
          const text = `hello ${head.split(' ')[1]}\n`;
          await conn.write(enc.encode(`HTTP/1.1 200 OK\r\nServer: js\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}`));
          conn.close();
        })();
      }
    })();
    const pod = await start('10.244.3.11', 'server {\n    listen 80;\n    location /api/ { proxy_pass http://10.244.3.50:8080; proxy_read_timeout 30s; }\n}\n');
    (await dial('10.244.3.11', 80)).close(); // the server is up
    const t0 = performance.now();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => request('10.244.3.11', 80, `GET /api/${i} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`)));
    const ms = performance.now() - t0;
    clearTimeout(timer);
    upstream.close();
    expect(maxOpen).toBe(20);
    answers.forEach((res, i) => {
      expect(res).toMatch(/^HTTP\/1\.1 200 OK\r\nServer: nginx\/1\.27\.5\r\nDate: .* GMT\r\nContent-Type: text\/plain\r\nContent-Length: \d+\r\nConnection: close\r\n\r\n/);
      expect(body(res)).toBe(`hello /api/${i}\n`);
    });
    console.log(`nginx proxy_pass: 20 concurrent clients answered in ${Math.round(ms)} ms`);
    await expect.poll(async () => (await pod.logs()).split('\n').filter((l) => / "GET \/api\/\d+ HTTP\/1\.1" 200 /.test(l)).length, { timeout: 10_000 }).toBe(20);
  }, 90_000);
});

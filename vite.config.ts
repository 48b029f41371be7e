import { defineConfig, transformWithOxc, type Plugin } from 'vite';
import { readFile } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

// SharedArrayBuffer (the runtime's blocking I/O) needs a cross-origin isolated page.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * The /proxy/ Service Worker (src/ui/sw/service-worker.ts, one file without runtime imports) must be served
 * from the site root to control /proxy/ URLs: compiled alone (oxc) and served at /proxy-sw.js in dev, emitted
 * as dist/proxy-sw.js in a build.
 */
function proxyServiceWorker(): Plugin {
  const file = `${root}src/ui/sw/service-worker.ts`;
  // The preview origin (src/ui/sw/preview-origin.ts): a second listener on the same host, another port, serving
  // only the bootstrap page and the worker (everything else there is the worker's); the app reads its port at
  // /preview-origin.json.
  const frame = `${root}src/ui/preview/preview-frame.html`;
  const send = (res: ServerResponse, type: string, body: string) => {
    for (const [k, v] of Object.entries({ ...isolation, 'Cross-Origin-Resource-Policy': 'cross-origin', 'Content-Type': type, 'Cache-Control': 'no-cache' })) res.setHeader(k, v);
    res.end(body);
  };
  const previewOrigin = (main: { on(event: 'close', fn: () => void): unknown } | null, host: string | boolean | undefined) => {
    let port = 0;
    const twin = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      const body = path === '/preview-frame.html' ? readFile(frame, 'utf8').then((b) => ['text/html; charset=utf-8', b]) : path === '/proxy-sw.js' ? compile().then((b) => ['text/javascript', b]) : undefined;
      if (!body) return ((res.statusCode = 404), send(res, 'text/plain', 'not found'));
      body.then(([type, b]) => send(res, type, b), (err) => ((res.statusCode = 500), send(res, 'text/plain', String(err))));
    });
    twin.listen(0, typeof host === 'string' ? host : host ? undefined : 'localhost', () => (port = (twin.address() as { port: number }).port));
    main?.on('close', () => twin.close());
    return (_req: unknown, res: ServerResponse) => (port ? send(res, 'application/json', JSON.stringify({ port })) : ((res.statusCode = 503), send(res, 'text/plain', 'starting')));
  };
  const compile = async () => (await transformWithOxc(await readFile(file, 'utf8'), file, { lang: 'ts', target: 'es2022' })).code.replace(/^export \{\};?$/m, ''); // a classic script: no module syntax
  return {
    name: 'tabernetes-proxy-sw',
    configureServer(server) {
      server.middlewares.use('/proxy-sw.js', (_req, res, next) => {
        compile().then((code) => (res.setHeader('Content-Type', 'text/javascript'), res.end(code)), next);
      });
      server.middlewares.use('/preview-origin.json', previewOrigin(server.httpServer, server.config.server.host));
    },
    configurePreviewServer(server) {
      server.middlewares.use('/preview-origin.json', previewOrigin(server.httpServer, server.config.preview.host));
    },
    async generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'proxy-sw.js', source: await compile() });
    },
  };
}

export default defineConfig({
  plugins: [react(), proxyServiceWorker()],
  resolve: {
    // monaco-yaml's worker imports monaco's pre-0.50 deep path, which monaco 0.57's exports map hides.
    // monaco-worker-manager (used by monaco-yaml) predates Monaco 0.53's worker API: a shim adapts it.
    alias: [
      { find: /^monaco-editor\/esm\/vs\/(.*)$/, replacement: `${root}node_modules/monaco-editor/esm/vs/$1` },
      { find: /^monaco-worker-manager$/, replacement: `${root}src/ui/editor/monaco-worker-manager-shim.ts` },
    ],
  },
  server: { headers: isolation },
  preview: { headers: isolation },
  worker: { format: 'es' },
  // Workers import these; listing them avoids a re-optimisation (and a page reload) on the first dev visit.
  optimizeDeps: { include: ['idb', 'comlink', 'yaml', 'react', 'react-dom/client', '@xterm/xterm', '@xterm/addon-fit'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 8000 },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 20000,
  },
});

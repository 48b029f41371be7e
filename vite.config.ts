import { defineConfig, transformWithOxc, type Plugin } from 'vite';
import { readFile } from 'node:fs/promises';
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
  // The preview origin's bootstrap page (src/ui/preview/preview-frame.html) at /preview-frame.html, with CORP
  // cross-origin: the app frames it from its twin origin (localhost ↔ 127.0.0.1).
  const frame = `${root}src/ui/preview/preview-frame.html`;
  const serveFrame = (_req: unknown, res: import('node:http').ServerResponse, next: (err?: unknown) => void) => {
    readFile(frame, 'utf8').then((html) => {
      for (const [k, v] of Object.entries({ ...isolation, 'Cross-Origin-Resource-Policy': 'cross-origin', 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' })) res.setHeader(k, v);
      res.end(html);
    }, next);
  };
  const compile = async () => (await transformWithOxc(await readFile(file, 'utf8'), file, { lang: 'ts', target: 'es2022' })).code.replace(/^export \{\};?$/m, ''); // a classic script: no module syntax
  return {
    name: 'tabernetes-proxy-sw',
    configureServer(server) {
      server.middlewares.use('/proxy-sw.js', (_req, res, next) => {
        compile().then((code) => (res.setHeader('Content-Type', 'text/javascript'), res.end(code)), next);
      });
      server.middlewares.use('/preview-frame.html', serveFrame);
    },
    configurePreviewServer(server) {
      server.middlewares.use('/preview-frame.html', serveFrame);
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

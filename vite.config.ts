import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

// SharedArrayBuffer (the runtime's blocking I/O) needs a cross-origin isolated page.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export default defineConfig({
  plugins: [react()],
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

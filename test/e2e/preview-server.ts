import { preview, type PreviewServer } from 'vite';

/** Serves the built app (dist/) with `vite preview` on a free loopback port, with the COOP/COEP headers. */
export async function startPreview(): Promise<{ url: string; close(): Promise<void> }> {
  const server: PreviewServer = await preview({ preview: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'warn' });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  return { url, close: () => server.close() };
}

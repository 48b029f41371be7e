import type { TestProject } from 'vitest/node';
import { startPreview } from './preview-server';

/** One `vite preview` of dist/ for all e2e files; its URL reaches tests through inject('baseUrl'). */
export default async function setup(project: TestProject) {
  const server = await startPreview();
  project.provide('baseUrl', server.url);
  return () => server.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

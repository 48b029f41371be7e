import { afterAll, beforeAll, inject } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './chromium';

export interface KubectlResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** A fresh profile (its own IndexedDB) so each test file boots its own cluster. */
export async function newClusterPage(browser: Browser, baseUrl: string): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(baseUrl);
  await waitForReady(page);
  return { context, page, errors };
}

export async function waitForReady(page: Page): Promise<void> {
  await page.waitForFunction(() => !!(window as unknown as { tabernetes?: unknown }).tabernetes, undefined, { timeout: 30000 });
  await page.evaluate(() => (window as unknown as { tabernetes: { ready: Promise<void> } }).tabernetes.ready);
}

export function kubectl(page: Page, commandLine: string, stdin?: string): Promise<KubectlResult> {
  return page.evaluate(
    ([line, input]) => (window as unknown as { tabernetes: { kubectl(l: string, s?: string): Promise<KubectlResult> } }).tabernetes.kubectl(line, input),
    [commandLine, stdin] as const,
  );
}

/** Polls kubectl until predicate holds on its result (or times out with the last output). */
export async function waitForKubectl(page: Page, commandLine: string, predicate: (r: KubectlResult) => boolean, timeoutMs = 30000): Promise<KubectlResult> {
  const deadline = Date.now() + timeoutMs;
  let last: KubectlResult | undefined;
  while (Date.now() < deadline) {
    last = await kubectl(page, commandLine);
    if (predicate(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting on "kubectl ${commandLine}"; last result: ${JSON.stringify(last)}`);
}

/** The terminal's visible text (xterm's accessibility-free DOM rows). */
export function terminalText(page: Page): Promise<string> {
  return page.evaluate(() => Array.from(document.querySelectorAll('.xterm-rows > div')).map((d) => d.textContent ?? '').join('\n'));
}

/**
 * Registers beforeAll/afterAll that launch Chromium and boot a cluster page in a fresh profile, and
 * closes both afterwards. Read `.page` / `.context` / `.errors` inside tests (they exist once beforeAll has run).
 */
export function clusterPageFixture(): { readonly page: Page; readonly context: BrowserContext; readonly errors: string[] } {
  const state: { browser?: Browser; context?: BrowserContext; page?: Page; errors?: string[] } = {};
  beforeAll(async () => {
    state.browser = await launchChromium();
    ({ context: state.context, page: state.page, errors: state.errors } = await newClusterPage(state.browser, inject('baseUrl')));
  });
  afterAll(async () => {
    await state.context?.close();
    await state.browser?.close();
  });
  return {
    get page() {
      return state.page!;
    },
    get context() {
      return state.context!;
    },
    /** The page's uncaught errors so far (newClusterPage's list). */
    get errors() {
      return state.errors!;
    },
  };
}

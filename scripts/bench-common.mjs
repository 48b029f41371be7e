// Shared by the npm run bench* scripts: how they find and launch headless Chromium (the flags CI uses on a
// machine without network or GPU), and how they name the machine in their JSON.
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { chromium } from 'playwright-core';

/** CHROMIUM_PATH, else /usr/bin/chromium, else Playwright's own download; throws when there is none. */
export function chromiumPath() {
  for (const c of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']) if (c && existsSync(c)) return c;
  try {
    const own = chromium.executablePath();
    if (existsSync(own)) return own;
  } catch {
    /* no bundled browser */
  }
  throw new Error('No Chromium found: set CHROMIUM_PATH or install chromium (apt-get install -y chromium)');
}

/** Headless Chromium for a benchmark. */
export function launchBenchChromium() {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic', '--disable-dev-shm-usage'],
  });
}

/** "CPU model, OS, N vCPU" for the JSON a benchmark prints. */
export function machine() {
  let model = cpus()[0]?.model ?? 'unknown CPU';
  try {
    const os = readFileSync('/etc/os-release', 'utf8').match(/PRETTY_NAME="([^"]+)"/)?.[1];
    if (os) model += `, ${os}`;
  } catch {
    /* not Linux */
  }
  return `${model}, ${cpus().length} vCPU`;
}

/** Nearest-rank percentile p (0–100) of xs, to 0.1; null when xs is empty. */
export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] * 10) / 10 : null;
}

/** The median of xs (the lower one of an even count); null when empty. */
export const median = (xs) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] : null);

/**
 * A new page of browser on the app at url, once `window.tabernetes.ready` has resolved (the API serves and
 * every node registered); page errors are logged on stderr. Throws when the app does not boot in 60 s.
 */
export async function openClusterPage(browser, url) {
  const page = await (await browser.newContext()).newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(url);
  await page.waitForFunction(() => !!window.tabernetes, undefined, { timeout: 60000 });
  await page.evaluate(() => window.tabernetes.ready);
  return page;
}

/** This machine's 1, 5 and 15 minute load averages, for benchmarks run on a shared one. */
export const loadAverage = () => loadavg().map((l) => Math.round(l * 100) / 100);

/**
 * A step runner over `out`: step(name, fn) stores fn's result (or { error }) as out[name], never throws, and
 * logs the name, whole seconds taken and the stored value on stderr.
 */
export function benchSteps(out) {
  return async (name, fn) => {
    const t0 = Date.now();
    try {
      out[name] = await fn();
    } catch (err) {
      out[name] = { error: String(err) };
    }
    console.error(`${name} (${Math.round((Date.now() - t0) / 1000)} s):`, JSON.stringify(out[name]));
  };
}

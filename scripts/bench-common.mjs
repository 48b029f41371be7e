// Shared by the npm run bench* scripts: how they find and launch headless Chromium (the flags CI uses on a
// machine without network or GPU), and how they name the machine in their JSON.
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
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

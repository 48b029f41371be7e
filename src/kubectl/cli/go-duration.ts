import { RawError } from './errors';

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration ("30s", "1m30s", "1.5h", "0") in milliseconds; throws kubectl's flag error. */
export function parseGoDuration(text: string, flag: string): number {
  if (text === '0') return 0;
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let ms = 0;
  let at = 0;
  const sign = text.startsWith('-') ? -1 : 1;
  const body = text.replace(/^[+-]/, '');
  for (let m = re.exec(body); m; m = re.exec(body)) {
    ms += Number(m[1]) * UNITS[m[2]];
    at = re.lastIndex;
  }
  if (!body || at !== body.length) throw new RawError(`error: invalid argument "${text}" for "--${flag}" flag: time: invalid duration "${text}"`);
  return sign * ms;
}

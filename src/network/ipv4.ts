/** IPv4 addresses as unsigned 32-bit numbers (host order: 10.244.1.2 = 0x0af40102). */

/** 10.244.1.2 → 0x0af40102; undefined for anything that is not a dotted quad. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n >>> 0;
}

export function formatIpv4(ip: number): string {
  const n = ip >>> 0;
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** 127.0.0.0/8. */
export function isLoopback(ip: number): boolean {
  return ip >>> 24 === 127;
}

export const INADDR_ANY = 0;
export const LOOPBACK = 0x7f000001;

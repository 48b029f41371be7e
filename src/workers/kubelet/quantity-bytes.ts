const SUFFIX: Record<string, number> = {
  '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60, m: 1e-3,
};

/**
 * A resource.Quantity as a whole number of bytes (rounded up, as the kubelet does for memory limits):
 * '128Mi' → 134217728, '1G' → 1e9, '1e6' → 1000000. undefined for text that is not a quantity.
 */
export function quantityBytes(q: string): number | undefined {
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|[kMGTPEm])|[eE]([+-]?\d+))?$/.exec(q.trim());
  if (!m) return undefined;
  const n = Number(m[1]) * (m[3] !== undefined ? 10 ** Number(m[3]) : SUFFIX[m[2] ?? '']);
  return Number.isFinite(n) ? Math.ceil(n) : undefined;
}

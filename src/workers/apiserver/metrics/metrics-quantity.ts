/**
 * resource.Quantity's canonical text for the two quantities metrics-server builds:
 * - CPU: NewScaledQuantity(usageNanoCores, -9) (DecimalSI): trailing zeros move into the suffix in steps of
 *   three (n → u → m → none): 1500000n → "1500u", 250000000n → "250m", 2000000000n → "2", 0 → "0".
 * - Memory: NewQuantity(workingSetBytes, BinarySI): the largest binary suffix that divides exactly
 *   (1048576 → "1Mi", 1310720 → "1280Ki"); below 1024 or not a multiple of 1024, plain bytes.
 */
const DECIMAL_SUFFIXES = ['n', 'u', 'm', '', 'k', 'M', 'G', 'T', 'P', 'E'];
const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

export function formatNanoCores(nanoCores: number): string {
  let v = Math.max(0, Math.round(nanoCores));
  if (v === 0) return '0';
  let i = 0;
  while (v % 1000 === 0 && i < DECIMAL_SUFFIXES.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v}${DECIMAL_SUFFIXES[i]}`;
}

export function formatBytes(bytes: number): string {
  let v = Math.max(0, Math.round(bytes));
  if (v < 1024) return String(v);
  let i = 0;
  while (v % 1024 === 0 && i < BINARY_SUFFIXES.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v}${BINARY_SUFFIXES[i]}`;
}

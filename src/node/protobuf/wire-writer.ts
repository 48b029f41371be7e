// Node-only, for tests: a minimal protobuf writer building the bodies kubectl's typed clients send
// ("k8s\0" + runtime.Unknown{typeMeta, raw}). gogo writes every non-pointer scalar, zeros included.
export const varint = (n: number): number[] => {
  const out: number[] = [];
  let v = BigInt.asUintN(64, BigInt(n));
  while (v > 127n) (out.push(Number(v & 127n) | 128), (v >>= 7n));
  return [...out, Number(v)];
};
/** A length-delimited field (message, string or bytes). */
export const field = (num: number, bytes: number[]): number[] => [...varint((num << 3) | 2), ...varint(bytes.length), ...bytes];
export const str = (num: number, s: string) => field(num, [...new TextEncoder().encode(s)]);
export const int = (num: number, n: number) => [...varint(num << 3), ...varint(n)];
export const envelope = (apiVersion: string, kind: string, raw: number[]) => new Uint8Array([0x6b, 0x38, 0x73, 0x00, ...field(1, [...str(1, apiVersion), ...str(2, kind)]), ...field(2, raw)]);

// For the comparisons where the real kubectl 1.32 works in namespace `real` and ours in `ours` on the same
// `npm run serve` (test/serve-helpers.ts twinNamespaces): run both, blank what differs between the two copies.
import type { KubectlRun } from './capture-kubectl';

/** text with uids, RFC 3339 times, resourceVersions, service account token volume names and ns blanked. */
export function blankTwin(text: string, ns: string): string {
  return text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'UID')
    .replace(/\d{4}-\d\d-\d\dT[\d:]+Z/g, 'TIME')
    .replace(/(resourceVersion"?: ")\d+/g, '$1RV')
    .replace(/kube-api-access-[a-z0-9]{5}/g, 'kube-api-access-X')
    .replaceAll(ns, 'NS');
}

/**
 * Runs args with `-n real` on the real kubectl and `-n ours` on ours (one after the other), and returns both runs
 * with stdout and stderr passed through normalise(text, ns) (default blankTwin), ready for toEqual.
 */
export async function twinRuns(
  serve: { real(args: string[]): Promise<KubectlRun>; ours(args: string[]): Promise<KubectlRun> },
  args: string[],
  normalise: (text: string, ns: string) => string = blankTwin,
): Promise<{ real: KubectlRun; ours: KubectlRun }> {
  const norm = (r: KubectlRun, ns: string) => ({ ...r, stdout: normalise(r.stdout, ns), stderr: normalise(r.stderr, ns) });
  const real = await serve.real([...args, '-n', 'real']);
  const ours = await serve.ours([...args, '-n', 'ours']);
  return { real: norm(real, 'real'), ours: norm(ours, 'ours') };
}

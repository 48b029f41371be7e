/**
 * Go's fmt conventions the kubelet's messages depend on, so texts match kubelet 1.32 word for word.
 * - goDuration: time.Duration.String() of a millisecond count ("0s", "25ms", "1.393s", "1m20s", "5m0s").
 * - goList: fmt's %s of a []string ("[a b]").
 * - goQuote: fmt's %q of a string.
 * - formatPod: kubelet's format.Pod ("name_namespace(uid)").
 */
export function goDuration(ms: number): string {
  ms = Math.trunc(ms);
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  ms = Math.abs(ms);
  if (ms < 1000) return `${sign}${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  const secs = Number.isInteger(s) ? String(s) : s.toFixed(3).replace(/0+$/, '');
  if (h) return `${sign}${h}h${m}m${secs}s`;
  if (m) return `${sign}${m}m${secs}s`;
  return `${sign}${secs}s`;
}

export function goList(items: readonly string[]): string {
  return `[${items.join(' ')}]`;
}

export function goQuote(s: string): string {
  return JSON.stringify(s);
}

export function formatPod(pod: { metadata?: { name?: string; namespace?: string; uid?: string } }): string {
  const m = pod.metadata ?? {};
  return `${m.name ?? ''}_${m.namespace ?? ''}(${m.uid ?? ''})`;
}

/**
 * The image reference containerd reports for a Pod's image: docker.io/library/ for bare names,
 * docker.io/ for user repos on Docker Hub, and :latest when neither tag nor digest is given.
 */
export function normalizeImage(image: string): string {
  let name = image;
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  if (slash < 0) name = `docker.io/library/${name}`;
  else if (!first.includes('.') && !first.includes(':') && first !== 'localhost') name = `docker.io/${name}`;
  const last = name.slice(name.lastIndexOf('/') + 1);
  if (!name.includes('@') && !last.includes(':')) name += ':latest';
  return name;
}

/** The apiserver's default imagePullPolicy: Always for :latest or untagged images, IfNotPresent otherwise. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@')) return 'IfNotPresent';
  const last = image.slice(image.lastIndexOf('/') + 1);
  const colon = last.indexOf(':');
  return colon < 0 || last.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

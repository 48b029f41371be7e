import type { PodSandboxConfig } from './cri';
import type { FsDir, RootfsSnapshot } from './wasi/mem-fs';

/** /etc/resolv.conf text for a CRI DNSConfig (as containerd writes it). */
export function resolvConfText(dns: NonNullable<PodSandboxConfig['dnsConfig']>): string {
  const lines: string[] = [];
  if (dns.searches.length) lines.push(`search ${dns.searches.join(' ')}`);
  for (const s of dns.servers) lines.push(`nameserver ${s}`);
  if (dns.options.length) lines.push(`options ${dns.options.join(' ')}`);
  return lines.join('\n') + '\n';
}

/**
 * The image rootfs with the sandbox's /etc/resolv.conf (from dnsConfig) and /etc/hosts (etcHosts) laid over
 * it, mode 0644. Only the root and /etc directory objects are copied; the image's snapshot is not changed.
 * Unchanged (the same object) when the sandbox has neither.
 */
export function withPodEtcFiles(rootfs: RootfsSnapshot, sandbox: PodSandboxConfig | undefined, mtime: number): RootfsSnapshot {
  const files: Record<string, string> = {};
  if (sandbox?.dnsConfig) files['resolv.conf'] = resolvConfText(sandbox.dnsConfig);
  if (sandbox?.etcHosts) files.hosts = sandbox.etcHosts;
  if (!Object.keys(files).length) return rootfs;
  const old = rootfs.entries.etc;
  const etc: FsDir = old?.kind === 'dir' ? { ...old, entries: { ...old.entries } } : { kind: 'dir', entries: {}, mode: 0o755, mtime };
  const enc = new TextEncoder();
  for (const [name, text] of Object.entries(files)) etc.entries[name] = { kind: 'file', data: enc.encode(text), mode: 0o644, mtime };
  return { ...rootfs, entries: { ...rootfs.entries, etc } };
}

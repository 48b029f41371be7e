import type { Container, PodSpec } from 'kubernetes-types/core/v1';

/**
 * The Pod Security Standards checks (staging/src/k8s.io/pod-security-admission/policy) Tabernetes runs, with
 * their reasons and details word for word. evaluatePod returns the failed checks in the registry's order:
 * baseline checks, then (baseline level) the baseline checks restricted overrides, or (restricted level) the
 * restricted checks.
 */
export type Level = 'privileged' | 'baseline' | 'restricted';
export interface CheckFailure {
  reason: string;
  detail: string;
}
type Check = (spec: PodSpec) => CheckFailure | undefined;

const pluralize = (one: string, many: string, n: number) => (n === 1 ? one : many);
const joinQuote = (items: string[]) => items.map((i) => JSON.stringify(i)).join(', ');
const containersOf = (spec: PodSpec): Container[] => [...(spec.initContainers ?? []), ...(spec.containers ?? [])] as Container[];
const badContainers = (spec: PodSpec, bad: (c: Container) => boolean) => containersOf(spec).filter(bad).map((c) => c.name);
const containersWord = (names: string[]) => `${pluralize('container', 'containers', names.length)} ${joinQuote(names)}`;

const hostNamespaces: Check = (s) => {
  const used = [s.hostIPC && 'hostIPC=true', s.hostNetwork && 'hostNetwork=true', s.hostPID && 'hostPID=true'].filter((x): x is string => !!x);
  return used.length ? { reason: 'host namespaces', detail: used.join(', ') } : undefined;
};

const hostPorts: Check = (s) => {
  const ports = new Set<string>();
  const bad = badContainers(s, (c) => {
    const hp = (c.ports ?? []).filter((p) => p.hostPort);
    for (const p of hp) ports.add(String(p.hostPort));
    return hp.length > 0;
  });
  if (!bad.length) return undefined;
  const list = [...ports].sort();
  return { reason: 'hostPort', detail: `${containersWord(bad)} ${pluralize('uses', 'use', bad.length)} ${pluralize('hostPort', 'hostPorts', list.length)} ${list.join(', ')}` };
};

const privileged: Check = (s) => {
  const bad = badContainers(s, (c) => c.securityContext?.privileged === true);
  return bad.length ? { reason: 'privileged', detail: `${containersWord(bad)} must not set securityContext.privileged=true` } : undefined;
};

const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);

const capabilitiesBaseline: Check = (s) => {
  const caps = new Set<string>();
  const bad = badContainers(s, (c) => {
    const extra = (c.securityContext?.capabilities?.add ?? []).filter((x) => !BASELINE_CAPABILITIES.has(x));
    extra.forEach((x) => caps.add(x));
    return extra.length > 0;
  });
  return bad.length ? { reason: 'non-default capabilities', detail: `${containersWord(bad)} must not include ${joinQuote([...caps].sort())} in securityContext.capabilities.add` } : undefined;
};

const hostPathVolumes: Check = (s) => {
  const vols = (s.volumes ?? []).filter((v) => v.hostPath).map((v) => v.name);
  return vols.length ? { reason: 'hostPath volumes', detail: `${pluralize('volume', 'volumes', vols.length)} ${joinQuote(vols)}` } : undefined;
};

/** The setters that explicitly chose a forbidden value ("pod", "container \"a\""), joined with " and ". */
function explicitSetters(s: PodSpec, podBad: boolean, containerBad: (c: Container) => boolean): string[] {
  const out = podBad ? ['pod'] : [];
  const bad = badContainers(s, containerBad);
  if (bad.length) out.push(containersWord(bad));
  return out;
}

const seccompBaseline: Check = (s) => {
  const setters = explicitSetters(s, s.securityContext?.seccompProfile?.type === 'Unconfined', (c) => c.securityContext?.seccompProfile?.type === 'Unconfined');
  return setters.length ? { reason: 'seccompProfile', detail: `${setters.join(' and ')} must not set securityContext.seccompProfile.type to "Unconfined"` } : undefined;
};

const allowPrivilegeEscalation: Check = (s) => {
  const bad = badContainers(s, (c) => c.securityContext?.allowPrivilegeEscalation !== false);
  return bad.length ? { reason: 'allowPrivilegeEscalation != false', detail: `${containersWord(bad)} must set securityContext.allowPrivilegeEscalation=false` } : undefined;
};

const capabilitiesRestricted: Check = (s) => {
  const caps = new Set<string>();
  const noDrop = badContainers(s, (c) => !(c.securityContext?.capabilities?.drop ?? []).includes('ALL'));
  const adding = badContainers(s, (c) => {
    const extra = (c.securityContext?.capabilities?.add ?? []).filter((x) => x !== 'NET_BIND_SERVICE');
    extra.forEach((x) => caps.add(x));
    return extra.length > 0;
  });
  const details: string[] = [];
  if (noDrop.length) details.push(`${containersWord(noDrop)} must set securityContext.capabilities.drop=["ALL"]`);
  if (adding.length) details.push(`${containersWord(adding)} must not include ${joinQuote([...caps].sort())} in securityContext.capabilities.add`);
  return details.length ? { reason: 'unrestricted capabilities', detail: details.join('; ') } : undefined;
};

const ALLOWED_VOLUME_TYPES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];

const restrictedVolumes: Check = (s) => {
  const names: string[] = [];
  const types = new Set<string>();
  for (const v of s.volumes ?? []) {
    const kinds = Object.keys(v).filter((k) => k !== 'name' && (v as unknown as Record<string, unknown>)[k] != null);
    if (kinds.some((k) => ALLOWED_VOLUME_TYPES.includes(k))) continue;
    names.push(v.name);
    types.add(kinds[0] ?? 'unknown');
  }
  if (!names.length) return undefined;
  const t = [...types].sort();
  return {
    reason: 'restricted volume types',
    detail: `${pluralize('volume', 'volumes', names.length)} ${joinQuote(names)} ${pluralize('uses', 'use', names.length)} ${pluralize('restricted volume type', 'restricted volume types', t.length)} ${joinQuote(t)}`,
  };
};

const runAsNonRoot: Check = (s) => {
  const podValue = s.securityContext?.runAsNonRoot;
  const setters = explicitSetters(s, podValue === false, (c) => c.securityContext?.runAsNonRoot === false);
  if (setters.length) return { reason: 'runAsNonRoot != true', detail: `${setters.join(' and ')} must not set securityContext.runAsNonRoot=false` };
  const implicit = podValue === true ? [] : badContainers(s, (c) => c.securityContext?.runAsNonRoot == null);
  return implicit.length ? { reason: 'runAsNonRoot != true', detail: `pod or ${containersWord(implicit)} must set securityContext.runAsNonRoot=true` } : undefined;
};

const runAsUser: Check = (s) => {
  const setters = explicitSetters(s, s.securityContext?.runAsUser === 0, (c) => c.securityContext?.runAsUser === 0);
  return setters.length ? { reason: 'runAsUser=0', detail: `${setters.join(' and ')} must not set runAsUser=0` } : undefined;
};

const validSeccomp = (t: string | undefined) => t === 'RuntimeDefault' || t === 'Localhost';

const seccompRestricted: Check = (s) => {
  const podProfile = s.securityContext?.seccompProfile;
  const badValues = new Set<string>();
  const podBad = !!podProfile && !validSeccomp(podProfile.type);
  if (podBad) badValues.add(podProfile!.type);
  const setters = explicitSetters(s, podBad, (c) => {
    const p = c.securityContext?.seccompProfile;
    if (!p || validSeccomp(p.type)) return false;
    badValues.add(p.type);
    return true;
  });
  if (setters.length) return { reason: 'seccompProfile', detail: `${setters.join(' and ')} must not set securityContext.seccompProfile.type to ${joinQuote([...badValues].sort())}` };
  const podSet = !!podProfile && !podBad;
  const implicit = podSet ? [] : badContainers(s, (c) => !c.securityContext?.seccompProfile);
  return implicit.length ? { reason: 'seccompProfile', detail: `pod or ${containersWord(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"` } : undefined;
};

const BASELINE: Check[] = [hostNamespaces, hostPorts, privileged];
const BASELINE_OVERRIDDEN: Check[] = [capabilitiesBaseline, hostPathVolumes, seccompBaseline];
const RESTRICTED: Check[] = [allowPrivilegeEscalation, capabilitiesRestricted, restrictedVolumes, runAsNonRoot, runAsUser, seccompRestricted];

/** The failed checks of spec at level (none for privileged). */
export function evaluatePod(level: Level, spec: PodSpec): CheckFailure[] {
  if (level === 'privileged') return [];
  const checks = [...BASELINE, ...(level === 'baseline' ? BASELINE_OVERRIDDEN : RESTRICTED)];
  return checks.map((c) => c(spec)).filter((f): f is CheckFailure => !!f);
}

/** AggregateCheckResults(...).ForbiddenDetail(): `reason (detail), reason (detail)`. */
export function forbiddenDetail(failures: CheckFailure[]): string {
  return failures.map((f) => (f.detail ? `${f.reason} (${f.detail})` : f.reason)).join(', ');
}

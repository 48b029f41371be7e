import type { FlagSpec } from './parse-flags';
import type { CommandContext } from './command-context';

export interface CommandDef {
  name: string;
  aliases?: string[];
  /** Sub-commands selected by the first positional word (create deployment, create secret generic). */
  subcommands?: CommandDef[];
  short: string;
  usage: string;
  /** The full `--help` text, verbatim from kubectl 1.32, when known (else short + usage). */
  help?: string;
  flags: FlagSpec[];
  run(ctx: CommandContext): Promise<number | void>;
}

const s = (name: string, short?: string): FlagSpec => ({ name, short, type: 'string' });
const b = (name: string, short?: string): FlagSpec => ({ name, short, type: 'bool' });
const i = (name: string, short?: string): FlagSpec => ({ name, short, type: 'int' });
const sl = (name: string, short?: string): FlagSpec => ({ name, short, type: 'stringSlice' });

/** kubectl's global flags; accepted everywhere, only -n matters here. */
export const globalFlags: FlagSpec[] = [
  s('namespace', 'n'), s('kubeconfig'), s('context'), s('cluster'), s('user'), s('server', 's'), s('token'),
  s('as'), sl('as-group'), s('as-uid'), s('request-timeout'), s('cache-dir'), s('certificate-authority'),
  s('client-certificate'), s('client-key'), s('tls-server-name'), s('username'), s('password'), s('profile'),
  s('profile-output'), b('insecure-skip-tls-verify'), b('match-server-version'), b('disable-compression'),
  b('warnings-as-errors'), i('v', 'v'), s('vmodule'), s('log-flush-frequency'), b('help', 'h'),
];

export const fileFlags: FlagSpec[] = [sl('filename', 'f'), b('recursive', 'R'), s('kustomize', 'k')];
export const printFlags: FlagSpec[] = [s('output', 'o'), s('template'), b('allow-missing-template-keys'), b('show-managed-fields')];
export const dryRunFlag: FlagSpec = { name: 'dry-run', type: 'string', noOptDefault: 'unchanged' };

export const getFlags: FlagSpec[] = [
  ...fileFlags, ...printFlags, b('all-namespaces', 'A'), s('selector', 'l'), s('field-selector'), b('show-labels'),
  b('no-headers'), b('watch', 'w'), b('watch-only'), b('output-watch-events'), b('ignore-not-found'), b('show-kind'),
  i('chunk-size'), s('sort-by'), sl('label-columns', 'L'), s('raw'), b('server-print'), s('subresource'),
];
export const applyFlags: FlagSpec[] = [
  ...fileFlags, ...printFlags, dryRunFlag, { name: 'validate', type: 'string', noOptDefault: 'strict' }, b('force'), i('grace-period'), b('overwrite'), b('prune'),
  s('selector', 'l'), b('all'), b('server-side'), s('field-manager'), b('force-conflicts'), b('wait'), s('timeout'),
  b('record'), s('cascade'), b('openapi-patch'), sl('prune-allowlist'), s('subresource'),
];
export const createFlags: FlagSpec[] = [
  ...fileFlags, ...printFlags, dryRunFlag, { name: 'validate', type: 'string', noOptDefault: 'strict' }, b('edit'), s('raw'), b('record'), b('save-config'),
  s('selector', 'l'), b('windows-line-endings'), s('field-manager'),
];
export const deleteFlags: FlagSpec[] = [
  ...fileFlags, s('output', 'o'), dryRunFlag, s('selector', 'l'), b('all'), b('all-namespaces', 'A'), b('force'),
  i('grace-period'), b('now'), b('wait'), s('timeout'), b('ignore-not-found'), { name: 'cascade', type: 'string', noOptDefault: 'background' },
  s('field-selector'), s('raw'), b('interactive', 'i'),
];
export const logsFlags: FlagSpec[] = [
  s('container', 'c'), i('tail'), b('timestamps'), b('previous', 'p'), b('follow', 'f'), b('all-containers'), s('since'),
  s('since-time'), i('limit-bytes'), s('selector', 'l'), b('prefix'), i('max-log-requests'), s('pod-running-timeout'),
  b('ignore-errors'), b('insecure-skip-tls-verify-backend'), b('all-pods'),
];
export const labelFlags: FlagSpec[] = [
  ...fileFlags, ...printFlags, dryRunFlag, b('overwrite'), b('local'), b('list'), b('all'), b('all-namespaces', 'A'),
  s('selector', 'l'), s('field-selector'), s('resource-version'), s('field-manager'),
];
export const scaleFlags: FlagSpec[] = [
  ...fileFlags, ...printFlags, dryRunFlag, i('replicas'), i('current-replicas'), s('resource-version'), b('all'), b('all-namespaces', 'A'),
  s('selector', 'l'), s('timeout'),
];
export const patchFlags: FlagSpec[] = [
  ...fileFlags, ...printFlags, dryRunFlag, s('patch', 'p'), s('patch-file'), s('type'), b('local'), s('field-manager'), s('subresource'),
];
export const setImageFlags: FlagSpec[] = [
  ...fileFlags, ...printFlags, dryRunFlag, b('all'), b('local'), s('selector', 'l'), s('field-manager'), b('record'), s('resource-version'),
];
export const describeFlags: FlagSpec[] = [...fileFlags, s('selector', 'l'), b('all-namespaces', 'A'), b('show-events'), i('chunk-size')];
export const versionFlags: FlagSpec[] = [b('client'), s('output', 'o')];
export const explainFlags: FlagSpec[] = [b('recursive'), s('api-version'), s('output', 'o')];
export const apiResourcesFlags: FlagSpec[] = [
  b('namespaced'), b('no-headers'), s('output', 'o'), sl('verbs'), s('api-group'), b('cached'), s('sort-by'), sl('categories'),
];

/** Every kubectl 1.32 top-level command name (for "Did you mean this?" suggestions), cobra-sorted. */
export const ALL_COMMAND_NAMES = [
  'alpha', 'annotate', 'api-resources', 'api-versions', 'apply', 'attach', 'auth', 'autoscale', 'certificate',
  'cluster-info', 'completion', 'config', 'cordon', 'cp', 'create', 'debug', 'delete', 'describe', 'diff', 'drain',
  'edit', 'events', 'exec', 'explain', 'expose', 'get', 'help', 'kustomize', 'label', 'logs', 'options', 'patch',
  'plugin', 'port-forward', 'proxy', 'replace', 'rollout', 'run', 'scale', 'set', 'taint', 'top', 'uncordon',
  'version', 'wait',
];

function levenshtein(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const d = Array.from({ length: a.length + 1 }, (_, x) => [x, ...new Array<number>(b.length).fill(0)]);
  for (let y = 1; y <= b.length; y++) d[0][y] = y;
  for (let x = 1; x <= a.length; x++)
    for (let y = 1; y <= b.length; y++) d[x][y] = Math.min(d[x - 1][y] + 1, d[x][y - 1] + 1, d[x - 1][y - 1] + (a[x - 1] === b[y - 1] ? 0 : 1));
  return d[a.length][b.length];
}

/**
 * cobra's SuggestionsFor as kubectl 1.32 answers: the available commands (in kubectl's registration order, the
 * root help's order then options and help) within Levenshtein distance 2 of typed, or starting with it; never
 * typed itself.
 */
export function suggestCommands(typed: string): string[] {
  const t = typed.toLowerCase();
  return SUGGESTION_ORDER.filter((n) => n !== t && (levenshtein(t, n) <= 2 || n.startsWith(t)));
}

const SUGGESTION_ORDER = [
  'create', 'expose', 'run', 'set', 'explain', 'get', 'edit', 'delete', 'rollout', 'scale', 'autoscale', 'certificate',
  'cluster-info', 'top', 'cordon', 'uncordon', 'drain', 'taint', 'describe', 'logs', 'attach', 'exec', 'port-forward',
  'proxy', 'cp', 'auth', 'debug', 'events', 'diff', 'apply', 'patch', 'replace', 'wait', 'kustomize', 'label', 'annotate',
  'completion', 'config', 'plugin', 'version', 'api-versions', 'api-resources', 'options', 'help',
];

import type { KubectlIO } from './kubectl-io';
import { CommandContext } from './cli/command-context';
import { FlagError, flagList, flagString, parseFlags, type FlagSpec } from './cli/parse-flags';
import { formatError, SilentExit } from './cli/errors';
import { ROOT_HELP } from './cli/root-help';
import { ALL_COMMAND_NAMES, globalFlags, suggestCommands, type CommandDef } from './cli/commands-table';
import { runCobraComplete } from './commands/completion-complete';
import { commands } from './commands/registry';
import { PrinterError } from './printers/print-objects';

/** Index of the command word: the first argument that is neither a flag nor a flag's value. */
function findCommand(argv: string[], flags: FlagSpec[] = globalFlags, dashDash = true): number {
  const takesValue = new Set(flags.filter((f) => f.type !== 'bool' && f.noOptDefault === undefined).flatMap((f) => [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])]));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') return dashDash && i + 1 < argv.length ? i + 1 : -1;
    if (!a.startsWith('-') || a === '-') return i;
    if (takesValue.has(a)) i++;
  }
  return -1;
}

function commandHelp(def: CommandDef): string {
  if (def.help) return def.help;
  return `${def.short}\n\nUsage:\n  ${def.usage}\n\nUse "kubectl options" for a list of global command-line options (applies to all commands).\n`;
}

/**
 * client-go's WarningWriter as kubectl configures it: `Warning: text` on stderr, each text once per command
 * line, "Warning:" in bold yellow when stderr is a terminal.
 */
function warningPrinter(io: KubectlIO): (text: string) => void {
  const seen = new Set<string>();
  return (text) => {
    if (seen.has(text)) return;
    seen.add(text);
    io.stderr(io.tty ? `\x1b[33;1mWarning:\x1b[0m ${text}\n` : `Warning: ${text}\n`);
  };
}

/**
 * Runs one kubectl command line (argv without "kubectl") and resolves with its exit code: 0 on
 * success, 1 on any error (printed to stderr as kubectl 1.32 prints it). Never rejects for API or
 * usage errors; output is written through io as it is produced.
 */
export async function runKubectl(argv: string[], io: KubectlIO): Promise<number> {
  io = { ...io, client: io.client.withWarnings(warningPrinter(io)) };
  const at = findCommand(argv);
  if (at < 0) {
    try {
      parseFlags(argv, globalFlags);
    } catch (err) {
      if (err instanceof FlagError) {
        io.stderr(`error: ${err.message}\nSee 'kubectl --help' for usage.\n`);
        return 1;
      }
      throw err;
    }
    io.stdout(ROOT_HELP);
    return 0;
  }
  let name = argv[at];
  let rest = [...argv.slice(0, at), ...argv.slice(at + 1)];
  if (name === 'help') {
    const target = rest.find((a) => !a.startsWith('-'));
    const def = target ? commands.get(target) : undefined;
    io.stdout(def ? commandHelp(def) : ROOT_HELP);
    return 0;
  }
  if (name === '__complete' || name === '__completeNoDesc') return runCobraComplete(argv.slice(at + 1), io, name === '__complete');
  let def = commands.get(name);
  if (!def && name === 'alpha') {
    io.stdout('No alpha commands are available in this version of kubectl\n');
    return 0;
  }
  if (!def && ALL_COMMAND_NAMES.includes(name)) {
    io.stderr(`error: "kubectl ${name}" is not available in Tabernetes\n`);
    return 1;
  }
  if (!def) {
    const sugg = suggestCommands(name);
    const tail = sugg.length ? `\n\nDid you mean this?\n${sugg.map((s) => `\t${s}\n`).join('')}` : '';
    io.stderr(formatError(new Error(`unknown command "${name}" for "kubectl"${tail}`)));
    return 1;
  }
  name = def.name;
  while (def.subcommands) {
    const at2 = findCommand(rest, [...globalFlags, ...def.flags], false);
    const word = at2 >= 0 ? rest[at2] : undefined;
    const sub: CommandDef | undefined = def.subcommands.find((c) => c.name === word || c.aliases?.includes(word ?? ''));
    if (!sub) break;
    rest = [...rest.slice(0, at2), ...rest.slice(at2 + 1)];
    def = sub;
    name = `${name} ${sub.name}`;
  }
  let flags;
  try {
    flags = parseFlags(rest, [...globalFlags, ...def.flags]);
  } catch (err) {
    if (err instanceof FlagError) {
      io.stderr(`error: ${err.message}\nSee 'kubectl ${name} --help' for usage.\n`);
      return 1;
    }
    throw err;
  }
  rest = [];
  if (flags.values.get('help') === true) {
    io.stdout(commandHelp(def));
    return 0;
  }
  const as = flagString(flags, 'as');
  const asGroups = flagList(flags, 'as-group');
  const asUid = flagString(flags, 'as-uid');
  if (!as && (asGroups.length || asUid)) {
    io.stderr('error: requesting uid, groups or user-extra for  without impersonating a user\n');
    return 1;
  }
  const client = as ? io.client.impersonating({ user: as, ...(asGroups.length ? { groups: asGroups } : {}), ...(asUid ? { uid: asUid } : {}) }) : io.client;
  const ctx = new CommandContext(as ? { ...io, client } : io, flags, `kubectl ${name}`);
  try {
    const code = await def.run(ctx);
    return typeof code === 'number' ? code : 0;
  } catch (err) {
    if (err instanceof SilentExit) return err.code;
    if (err instanceof PrinterError) io.stdout(err.stdout);
    io.stderr(formatError(err));
    return 1;
  }
}

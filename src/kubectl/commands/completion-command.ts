import type { CommandDef } from '../cli/commands-table';
import { COMPLETION_SHELLS, completionScript } from './completion-scripts';

/** `kubectl completion SHELL`: prints the shell's completion script (errors and exit 1 as kubectl 1.32). */
export const completionCommand: CommandDef = {
  name: 'completion',
  short: 'Output shell completion code for the specified shell (bash, zsh, fish, or powershell)',
  usage: 'kubectl completion SHELL',
  flags: [],
  async run(ctx) {
    const hint = "See 'kubectl completion -h' for help and examples\n";
    if (ctx.args.length === 0) return ctx.io.stderr(`error: Shell not specified.\n${hint}`), 1;
    if (ctx.args.length > 1) return ctx.io.stderr(`error: Too many arguments. Expected only the shell type.\n${hint}`), 1;
    const shell = ctx.args[0] as (typeof COMPLETION_SHELLS)[number];
    if (!COMPLETION_SHELLS.includes(shell)) return ctx.io.stderr(`error: Unsupported shell type "${ctx.args[0]}".\n${hint}`), 1;
    ctx.io.stdout(completionScript(shell));
  },
};


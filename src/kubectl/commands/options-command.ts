import type { CommandDef } from '../cli/commands-table';
import { OPTIONS_TEXT } from './options-text';

/** `kubectl options`: prints kubectl 1.32's global flag list verbatim; takes no arguments. */
export const optionsCommand: CommandDef = {
  name: 'options',
  short: 'Print the list of flags inherited by all commands',
  usage: 'kubectl options [flags]',
  flags: [],
  async run(ctx) {
    ctx.io.stdout(OPTIONS_TEXT);
  },
};

let usages: Map<string, string> | undefined;

/** The usage line `kubectl options` gives a global flag (by long name), or undefined. */
export function globalFlagUsage(name: string): string | undefined {
  if (!usages) {
    usages = new Map();
    for (const m of OPTIONS_TEXT.matchAll(/^ {4}(?:-\w, )?--([\w-]+)=.*:\n\t(.*)$/gm)) usages.set(m[1], m[2]);
  }
  return usages.get(name);
}

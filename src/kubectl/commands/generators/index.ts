import type { CommandDef } from '../../cli/commands-table';
import { configMapGenerator, namespaceGenerator, secretGenericGenerator, serviceAccountGenerator } from './config';
import type { Generator } from './generator';
import { ingressGenerator, serviceClusterIpGenerator, serviceNodePortGenerator } from './network';
import { clusterRoleBindingGenerator, clusterRoleGenerator, roleBindingGenerator, roleGenerator_ } from './rbac';
import { runGenerator } from './run-generator';
import { cronJobGenerator, deploymentGenerator, jobGenerator } from './workloads';

/** kubectl's generators: create <kind> sub-commands and run. */
function asCommand(gen: Generator, aliases?: string[], fieldManager?: string): CommandDef {
  return { name: gen.name, aliases, short: gen.short, usage: gen.usage, flags: gen.flags, run: async (ctx) => void (await runGenerator(ctx, gen, fieldManager)) };
}

function group(name: string, short: string, subcommands: CommandDef[], aliases?: string[]): CommandDef {
  return {
    name,
    aliases,
    short,
    usage: `kubectl create ${name} [flags] [options]`,
    flags: [],
    subcommands,
    async run(ctx) {
      ctx.out(`${short}\n\nAvailable Commands:\n${subcommands.map((c) => `  ${c.name.padEnd(14)}${c.short}\n`).join('')}\nUsage:\n  kubectl create ${name} [flags] [options]\n\nUse "kubectl create ${name} <command> --help" for more information about a given command.\nUse "kubectl options" for a list of global command-line options (applies to all commands).\n`);
    },
  };
}

export const createSubcommands: CommandDef[] = [
  asCommand(clusterRoleGenerator),
  asCommand(clusterRoleBindingGenerator),
  asCommand(configMapGenerator, ['cm']),
  asCommand(cronJobGenerator, ['cj']),
  asCommand(deploymentGenerator, ['deploy']),
  asCommand(ingressGenerator, ['ing']),
  asCommand(jobGenerator),
  asCommand(namespaceGenerator, ['ns']),
  asCommand(roleGenerator_),
  asCommand(roleBindingGenerator),
  group('secret', 'Create a secret using a specified subcommand.', [asCommand(secretGenericGenerator)]),
  group('service', 'Create a service using a specified subcommand.', [asCommand(serviceClusterIpGenerator), asCommand(serviceNodePortGenerator)], ['svc']),
  asCommand(serviceAccountGenerator, ['sa']),
];


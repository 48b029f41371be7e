/**
 * kubectl's generators: the `create <kind>` sub-commands (and the generator `run` uses), each building one
 * typed object from flags, printing it with --dry-run=client or POSTing it; `create token` requests a
 * TokenRequest. --help prints kubectl 1.32's text verbatim (create-help.json, captured by capture-create-help.py).
 */
import type { CommandDef } from '../../cli/commands-table';
import { RawError } from '../../cli/errors';
import { configMapGenerator, namespaceGenerator, secretGenericGenerator, serviceAccountGenerator } from './config';
import helpTexts from './create-help.json';
import type { Generator } from './generator';
import { ingressGenerator, serviceClusterIpGenerator, serviceExternalNameGenerator, serviceLoadBalancerGenerator, serviceNodePortGenerator } from './network';
import { podDisruptionBudgetGenerator, priorityClassGenerator, quotaGenerator } from './policy';
import { clusterRoleBindingGenerator, clusterRoleGenerator, roleBindingGenerator, roleGenerator_ } from './rbac';
import { runGenerator } from './run-generator';
import { secretDockerRegistryGenerator, secretTlsGenerator } from './secrets';
import { createTokenCommand } from './token';
import { cronJobGenerator, deploymentGenerator, jobGenerator } from './workloads';

/** kubectl 1.32's `--help` text of "create" or "create <sub> [<sub>]". */
export function createHelp(path: string): string | undefined {
  return (helpTexts as Record<string, string>)[path];
}

function asCommand(gen: Generator, parent: string, aliases?: string[], fieldManager?: string): CommandDef {
  return { name: gen.name, aliases, short: gen.short, usage: gen.usage, help: createHelp(`${parent} ${gen.name}`), flags: gen.flags, run: async (ctx) => void (await runGenerator(ctx, gen, fieldManager, true, true)) };
}

/** A command with sub-commands only: alone it prints its help on stderr and exits 1; an unknown word is an error. */
function group(name: string, short: string, usage: string, subcommands: CommandDef[], aliases?: string[]): CommandDef {
  return {
    name,
    aliases,
    short,
    usage,
    help: createHelp(`create ${name}`),
    flags: [],
    subcommands,
    async run(ctx) {
      if (ctx.args.length) throw new RawError(`error: unknown command "${ctx.args[0]}"\nSee '${ctx.commandPath} -h' for help and examples`);
      ctx.err(createHelp(`create ${name}`) ?? '');
      return 1;
    },
  };
}

export const createSubcommands: CommandDef[] = [
  asCommand(clusterRoleGenerator, 'create'),
  asCommand(clusterRoleBindingGenerator, 'create'),
  asCommand(configMapGenerator, 'create', ['cm']),
  asCommand(cronJobGenerator, 'create', ['cj']),
  asCommand(deploymentGenerator, 'create', ['deploy']),
  asCommand(ingressGenerator, 'create', ['ing']),
  asCommand(jobGenerator, 'create'),
  asCommand(namespaceGenerator, 'create', ['ns']),
  asCommand(podDisruptionBudgetGenerator, 'create', ['pdb']),
  asCommand(priorityClassGenerator, 'create', ['pc']),
  asCommand(quotaGenerator, 'create', ['resourcequota']),
  asCommand(roleGenerator_, 'create'),
  asCommand(roleBindingGenerator, 'create'),
  group('secret', 'Create a secret using a specified subcommand', 'kubectl create secret (docker-registry | generic | tls) [options]', [
    asCommand(secretDockerRegistryGenerator, 'create secret'),
    asCommand(secretGenericGenerator, 'create secret'),
    asCommand(secretTlsGenerator, 'create secret'),
  ]),
  group(
    'service',
    'Create a service using a specified subcommand',
    'kubectl create service [flags] [options]',
    [serviceClusterIpGenerator, serviceExternalNameGenerator, serviceLoadBalancerGenerator, serviceNodePortGenerator].map((g) => asCommand(g, 'create service')),
    ['svc'],
  ),
  asCommand(serviceAccountGenerator, 'create', ['sa']),
  { ...createTokenCommand, help: createHelp('create token') },
];

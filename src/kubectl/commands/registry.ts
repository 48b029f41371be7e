import {
  apiResourcesFlags, explainFlags, applyFlags, labelFlags, patchFlags, scaleFlags, createFlags, deleteFlags, describeFlags, getFlags, logsFlags, versionFlags, type CommandDef,
} from '../cli/commands-table';
import { runApiResources } from './api-resources';
import { runApply } from './apply';
import { diffCommand } from './diff';
import { runCreate } from './create';
import { runDelete } from './delete';
import { runDescribe } from './describe';
import { runGet } from './get';
import { runLogs } from './logs';
import { runLabel } from './label';
import { runPatch } from './patch';
import { runScale } from './scale';
import { setCommand } from './set';
import { cordonCommands } from './cordon';
import { drainCommand } from './drain';
import { taintCommand } from './taint';
import { autoscaleCommand } from './autoscale';
import { authCommand } from './auth';
import { rolloutCommand } from './rollout';
import { replaceFlags, runReplace } from './replace';
import { apiVersionsCommand, clusterInfoCommand, configCommand } from './cluster-config';
import { editFlags, runEdit } from './edit';
import { runWait, waitFlags } from './wait';
import { exposeFlags, runExpose } from './expose';
import { runVersion } from './version';
import { runExplain } from './explain';
import { execCommand } from '../exec';
import { cpCommand } from './cp';
import { attachCommand } from './attach';
import { debugCommand } from './debug';
import { createHelp, createSubcommands } from './generators';
import { runCommand } from './run';
import { topCommand } from './top';
import { kustomizeCommand } from './kustomize';
import { eventsCommand } from './events';
import { portForwardCommand } from './port-forward';
import { completionCommand } from './completion-command';
import { optionsCommand } from './options-command';
import { proxyCommand } from './proxy-command';

const defs: CommandDef[] = [
  { name: 'get', short: 'Display one or many resources.', usage: 'kubectl get [(-o|--output=)json|yaml|name|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]', flags: getFlags, run: runGet },
  { name: 'apply', short: 'Apply a configuration to a resource by file name or stdin.', usage: 'kubectl apply (-f FILENAME | -k DIRECTORY) [options]', flags: applyFlags, run: runApply },
  diffCommand,
  { name: 'create', short: 'Create a resource from a file or from stdin.', usage: 'kubectl create -f FILENAME [options]', help: createHelp('create'), flags: createFlags, run: runCreate, subcommands: createSubcommands },
  runCommand,
  rolloutCommand,
  { name: 'replace', short: 'Replace a resource by file name or stdin', usage: 'kubectl replace -f FILENAME [options]', flags: replaceFlags, run: runReplace },
  clusterInfoCommand,
  apiVersionsCommand,
  configCommand,
  { name: 'edit', short: 'Edit a resource on the server', usage: 'kubectl edit (RESOURCE/NAME | -f FILENAME) [options]', flags: editFlags, run: runEdit },
  { name: 'wait', short: 'Experimental: Wait for a specific condition on one or many resources', usage: "kubectl wait ([-f FILENAME] | resource.group/resource.name | resource.group [(-l label | --all)]) [--for=create|--for=delete|--for condition=available|--for=jsonpath='{}'[=value]] [options]", flags: waitFlags, run: runWait },
  { name: 'expose', short: 'Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service', usage: 'kubectl expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type] [options]', flags: exposeFlags, run: runExpose },
  { name: 'scale', short: 'Set a new size for a deployment, replica set, or replication controller', usage: 'kubectl scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]', flags: scaleFlags, run: runScale },
  { name: 'patch', short: 'Update fields of a resource', usage: 'kubectl patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE] [options]', flags: patchFlags, run: runPatch },
  setCommand,
  { name: 'label', short: 'Update the labels on a resource.', usage: 'kubectl label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]', flags: labelFlags, run: (ctx) => runLabel(ctx, 'label') },
  { name: 'annotate', short: 'Update the annotations on a resource', usage: 'kubectl annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]', flags: labelFlags, run: (ctx) => runLabel(ctx, 'annotate') },
  { name: 'delete', short: 'Delete resources by file names, stdin, resources and names, or by resources and label selector.', usage: 'kubectl delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [options]', flags: deleteFlags, run: runDelete },
  { name: 'logs', short: 'Print the logs for a container in a pod or specified resource.', usage: 'kubectl logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]', flags: logsFlags, run: runLogs },
  { name: 'describe', short: 'Show details of a specific resource or group of resources.', usage: 'kubectl describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [options]', flags: describeFlags, run: runDescribe },
  { name: 'version', short: 'Print the client and server version information for the current context.', usage: 'kubectl version [flags] [options]', flags: versionFlags, run: runVersion },
  execCommand,
  cpCommand,
  attachCommand,
  debugCommand,
  { name: 'explain', short: 'Get documentation for a resource', usage: 'kubectl explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] [--output=plaintext|plaintext-openapiv2] [options]', flags: explainFlags, run: runExplain },
  ...cordonCommands,
  drainCommand,
  taintCommand,
  autoscaleCommand,
  authCommand,
  topCommand,
  kustomizeCommand,
  eventsCommand,
  portForwardCommand,
  completionCommand,
  optionsCommand,
  proxyCommand,
  { name: 'api-resources', short: 'Print the supported API resources on the server.', usage: 'kubectl api-resources [flags] [options]', flags: apiResourcesFlags, run: runApiResources },
];

/** The implemented commands by name. */
export const commands = new Map(defs.map((d) => [d.name, d]));

import {
  apiResourcesFlags, applyFlags, createFlags, deleteFlags, describeFlags, getFlags, logsFlags, versionFlags, type CommandDef,
} from '../cli/commands-table';
import { runApiResources } from './api-resources';
import { runApply } from './apply';
import { runCreate } from './create';
import { runDelete } from './delete';
import { runDescribe } from './describe';
import { runGet } from './get';
import { runLogs } from './logs';
import { runVersion } from './version';

const defs: CommandDef[] = [
  { name: 'get', short: 'Display one or many resources.', usage: 'kubectl get [(-o|--output=)json|yaml|name|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]', flags: getFlags, run: runGet },
  { name: 'apply', short: 'Apply a configuration to a resource by file name or stdin.', usage: 'kubectl apply (-f FILENAME | -k DIRECTORY) [options]', flags: applyFlags, run: runApply },
  { name: 'create', short: 'Create a resource from a file or from stdin.', usage: 'kubectl create -f FILENAME [options]', flags: createFlags, run: runCreate },
  { name: 'delete', short: 'Delete resources by file names, stdin, resources and names, or by resources and label selector.', usage: 'kubectl delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [options]', flags: deleteFlags, run: runDelete },
  { name: 'logs', short: 'Print the logs for a container in a pod or specified resource.', usage: 'kubectl logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]', flags: logsFlags, run: runLogs },
  { name: 'describe', short: 'Show details of a specific resource or group of resources.', usage: 'kubectl describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [options]', flags: describeFlags, run: runDescribe },
  { name: 'version', short: 'Print the client and server version information for the current context.', usage: 'kubectl version [flags] [options]', flags: versionFlags, run: runVersion },
  { name: 'api-resources', short: 'Print the supported API resources on the server.', usage: 'kubectl api-resources [flags] [options]', flags: apiResourcesFlags, run: runApiResources },
];

/** The implemented commands by name. */
export const commands = new Map(defs.map((d) => [d.name, d]));

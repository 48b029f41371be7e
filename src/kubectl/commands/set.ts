import { setImageFlags, type CommandDef } from '../cli/commands-table';
import { runSetImage } from './set-image';
import { runSetEnv, setEnvFlags } from './set-env';
import { runSetResources, setResourcesFlags } from './set-resources';
import { setServiceAccountCommand, setSubjectCommand } from './set-serviceaccount-subject';
import { setSelectorCommand } from './set-selector';

/** kubectl set env|image|resources|selector|serviceaccount|subject. */
export const setCommand: CommandDef = {
  name: 'set',
  short: 'Set specific features on objects',
  usage: 'kubectl set SUBCOMMAND [options]',
  flags: [],
  subcommands: [
    { name: 'env', short: 'Update environment variables on a pod template', usage: 'kubectl set env RESOURCE/NAME KEY_1=VAL_1 ... KEY_N=VAL_N [options]', flags: setEnvFlags, run: runSetEnv },
    { name: 'image', short: 'Update the image of a pod template', usage: 'kubectl set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N [options]', flags: setImageFlags, run: runSetImage },
    {
      name: 'resources',
      short: 'Update resource requests/limits on objects with pod templates',
      usage: 'kubectl set resources (-f FILENAME | TYPE NAME) ([--limits=LIMITS & --requests=REQUESTS] [options]',
      flags: setResourcesFlags,
      run: runSetResources,
    },
    setSelectorCommand,
    setServiceAccountCommand,
    setSubjectCommand,
  ],
  async run(ctx) {
    ctx.err(
      'Configure application resources.\n\n These commands help you make changes to existing application resources.\n\nAvailable Commands:\n  env              Update environment variables on a pod template\n  image            Update the image of a pod template\n  resources        Update resource requests/limits on objects with pod templates\n  selector         Set the selector on a resource\n  serviceaccount   Update the service account of a resource\n  subject          Update the user, group, or service account in a role binding or cluster role binding\n\nUsage:\n  kubectl set SUBCOMMAND [options]\n\nUse "kubectl set <command> --help" for more information about a given command.\nUse "kubectl options" for a list of global command-line options (applies to all commands).\n',
    );
    return 1;
  },
};

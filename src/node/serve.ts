// `npm run serve -- [--port 6443] [--kubeconfig FILE] [--speed N]`: the cluster in Node, serving the
// Kubernetes API on 127.0.0.1 over plain http. The cluster lives in memory (--data DIR is refused for now).
// Prints a line containing "ready" once serving; SIGINT/SIGTERM stop it cleanly (exit 0). Exit 1 with a
// message for bad flags or a failed start.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startServe } from './start-serve';

function usage(msg: string): never {
  process.stderr.write(`serve: ${msg}\nusage: npm run serve -- [--port 6443] [--kubeconfig FILE] [--speed N]\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let values: { port?: string; kubeconfig?: string; data?: string; speed?: string };
  try {
    ({ values } = parseArgs({ options: { port: { type: 'string' }, kubeconfig: { type: 'string' }, data: { type: 'string' }, speed: { type: 'string' } } }));
  } catch (err) {
    usage((err as Error).message);
  }
  const port = values.port === undefined ? 6443 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) usage(`invalid --port ${values.port}`);
  if (values.data !== undefined) usage('--data is not supported yet: the cluster is kept in memory and is lost when serve stops');
  const speed = values.speed === undefined ? 1 : Number(values.speed);
  if (!(speed > 0)) usage(`invalid --speed ${values.speed}`);
  const started = Date.now();
  // npm runs scripts in the package root; INIT_CWD is where the user typed the command.
  const userPath = (p: string | undefined) => p && resolve(process.env.INIT_CWD ?? process.cwd(), p);
  const serving = await startServe({ port, kubeconfig: userPath(values.kubeconfig), speed });
  const where = values.kubeconfig ? ` (kubeconfig: ${values.kubeconfig})` : '';
  process.stdout.write(`tabernetes: API server ready at ${serving.url}${where} in ${Date.now() - started} ms\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`tabernetes: ${signal}, stopping\n`);
    serving.stop().then(
      () => process.exit(0),
      (err) => {
        process.stderr.write(`tabernetes: stop failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  process.stderr.write(`tabernetes: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});

/**
 * Headless TransferScope: the same core as the app, on the tfjs wasm backend in Node.
 * Every command prints JSON on stdout; errors go to stderr as one line, with the exit status:
 *
 *   0  success
 *   2  a usage error: unknown command or option, a bad option value, a missing required option
 *      (CliError, thrown by the argument checks)
 *   1  everything else: bad data, a bad model, a corrupt store, I/O (missing files, full disk)
 *
 *   npm run cli -- <command> [--flag value ...]
 */
import { parseArgs, CliError } from './args';
import { describeFsError } from '../lib/util/fs-errors';

const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

type CommandModule = { run(argv: string[]): Promise<unknown>; usage: string };

// Each command lives in its own module, loaded only when asked for.
const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  forward: () => import('./commands/forward'),
  train: () => import('./commands/train'),
  conductance: () => import('./commands/conductance'),
  ansat: () => import('./commands/ansat'),
  gbdt: () => import('./commands/gbdt'),
  experiment: () => import('./commands/experiment'),
  export: () => import('./commands/export'),
  pretrain: () => import('./commands/pretrain'),
  replay: () => import('./commands/replay'),
  recommend: () => import('./commands/recommend'),
  split: () => import('./commands/split'),
  worker: () => import('./commands/worker'),
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === 'help') {
    process.stderr.write(`usage: npm run cli -- <command> [options]\ncommands: ${Object.keys(COMMANDS).join(', ')}\n`);
    return name ? EXIT.ok : EXIT.usage;
  }
  const load = COMMANDS[name];
  if (!load) throw new CliError(`unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(', ')}`);
  const mod = await load();
  if (rest.includes('--help')) {
    process.stderr.write(mod.usage + '\n');
    return EXIT.ok;
  }
  const result = await mod.run(rest);
  if (result !== undefined) process.stdout.write(JSON.stringify(result) + '\n');
  return EXIT.ok;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    // Node's raw file-system errors ("ENOTDIR: not a directory, open …") in words.
    const msg = describeFsError(err) ?? (err instanceof Error ? err.message : String(err));
    process.stderr.write(`error: ${msg}\n`);
    if (process.env.TRANSFERSCOPE_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    process.exit(err instanceof CliError ? EXIT.usage : EXIT.failure);
  },
);

export { parseArgs };

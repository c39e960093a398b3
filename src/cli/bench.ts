/**
 * Benchmarks print JSON on stdout, never assert timings.
 *   npm run bench -- <train|conductance|gbdt|experiment|queue> [options]
 */
// A module (not a script), so its names stay local.
export {};

type BenchModule = { run(argv: string[]): Promise<unknown> };

const BENCHES: Record<string, () => Promise<BenchModule>> = {
  train: () => import('./bench/train'),
  conductance: () => import('./bench/conductance'),
  gbdt: () => import('./bench/gbdt'),
  experiment: () => import('./bench/experiment'),
  queue: () => import('./bench/queue'),
};

const [name, ...rest] = process.argv.slice(2);
const load = name ? BENCHES[name] : undefined;
if (!load) {
  process.stderr.write(`usage: npm run bench -- <${Object.keys(BENCHES).join('|')}>\n`);
  process.exit(2);
}
load().then((m) => m.run(rest)).then(
  (result) => { process.stdout.write(JSON.stringify(result, null, 2) + '\n'); process.exit(0); },
  (err: unknown) => { process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`); process.exit(1); },
);

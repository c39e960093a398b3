/** A usage error (bad or missing flag): exit status 2. */
export class CliError extends Error {}

export interface ParsedArgs {
  /** Last value of each flag. */
  get(name: string): string | undefined;
  /** Every value of a repeatable flag, in order. */
  all(name: string): string[];
  has(name: string): boolean;
  required(name: string): string;
  number(name: string, fallback?: number): number;
  int(name: string, fallback?: number): number;
}

/**
 * Parses `--flag value`, `--flag=value` and bare `--switch` (value "true") into a lookup.
 * Unknown flags are rejected so a typo never silently falls back to a default.
 */
export function parseArgs(argv: string[], known: string[], switches: string[] = []): ParsedArgs {
  const values = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new CliError(`unexpected argument "${a}"`);
    let name = a.slice(2);
    let value: string | undefined;
    const eq = name.indexOf('=');
    if (eq >= 0) { value = name.slice(eq + 1); name = name.slice(0, eq); }
    if (!known.includes(name) && !switches.includes(name)) {
      throw new CliError(`unknown option --${name}; options: ${[...known, ...switches].map((k) => '--' + k).join(' ')}`);
    }
    if (switches.includes(name)) value ??= 'true';
    else if (value === undefined) {
      if (i + 1 >= argv.length) throw new CliError(`--${name} needs a value`);
      value = argv[++i];
    }
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  const get = (n: string) => values.get(n)?.at(-1);
  const toNumber = (n: string, parse: (s: string) => number, fallback?: number, kind = 'a number') => {
    const s = get(n);
    if (s === undefined) {
      if (fallback === undefined) throw new CliError(`--${n} is required`);
      return fallback;
    }
    const v = parse(s);
    if (!Number.isFinite(v)) throw new CliError(`--${n} must be ${kind}, got "${s}"`);
    return v;
  };
  return {
    get,
    all: (n) => values.get(n) ?? [],
    has: (n) => values.has(n),
    required: (n) => {
      const v = get(n);
      if (v === undefined) throw new CliError(`--${n} is required`);
      return v;
    },
    number: (n, f) => toNumber(n, Number, f),
    int: (n, f) => toNumber(n, (s) => (/^-?\d+$/.test(s) ? Number(s) : NaN), f, 'an integer'),
  };
}

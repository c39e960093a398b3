/**
 * Settings live in the URL query, so a shared link reproduces what the sender saw: the view, the
 * data set, the model, the seed and every experiment setting. Only known keys are read; values are
 * validated by the readers below and fall back to their defaults when malformed.
 */
export function readParam(name: string): string | null {
  return new URLSearchParams(location.search).get(name);
}

export function writeParams(values: Record<string, string | number | boolean | null | undefined>): void {
  const params = new URLSearchParams(location.search);
  for (const [k, v] of Object.entries(values)) {
    if (v === null || v === undefined || v === '' || v === false) params.delete(k);
    else params.set(k, v === true ? '1' : String(v));
  }
  const query = params.toString();
  const next = `${location.pathname}${query ? '?' + query : ''}${location.hash}`;
  if (next !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(history.state, '', next);
}

export function readInt(name: string, fallback: number, min = -Infinity, max = Infinity): number {
  const raw = readParam(name);
  if (raw === null || !/^-?\d+$/.test(raw)) return fallback;
  const v = Number(raw);
  return v >= min && v <= max ? v : fallback;
}

export function readFloat(name: string, fallback: number, min = -Infinity, max = Infinity): number {
  const raw = readParam(name);
  if (raw === null || raw.trim() === '') return fallback;
  const v = Number(raw);
  return Number.isFinite(v) && v >= min && v <= max ? v : fallback;
}

export function readChoice<T extends string>(name: string, choices: readonly T[], fallback: T): T {
  const raw = readParam(name);
  return raw !== null && (choices as readonly string[]).includes(raw) ? (raw as T) : fallback;
}

export function readBool(name: string, fallback = false): boolean {
  const raw = readParam(name);
  if (raw === null) return fallback;
  return raw === '1' || raw === 'true';
}

/** A comma-separated list (task names may contain anything but a comma). */
export function readList(name: string): string[] | null {
  const raw = readParam(name);
  if (raw === null) return null;
  return raw.split(',').map((s) => s.trim()).filter(Boolean);
}

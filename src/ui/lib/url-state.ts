/**
 * Settings live in the URL query, so a shared link reproduces what the sender saw: the view, the
 * data set, the model, the seed and every experiment setting. Only known keys are read; values are
 * validated by the readers below and fall back to their defaults when malformed. The experiment's
 * settings are read and written by the contract's pure codec (src/lib/pipeline/spec-url.ts); this
 * file only binds it to the page's `location`.
 */
import { optionAt, valueAt, SPEC_DEFAULTS } from '../../lib/pipeline/spec-options';
import { OptionValueError, parseOptionText } from '../../lib/pipeline/spec-text';

/** One experiment option from the page's URL (by its spec path), or its default when absent or malformed. */
export function readSpecOption(path: string): unknown {
  const o = optionAt(path);
  const raw = o.url === undefined ? null : readParam(o.url);
  if (raw === null) return valueAt(SPEC_DEFAULTS, path);
  try {
    return parseOptionText(o, raw, o.url!, true);
  } catch (e) {
    if (e instanceof OptionValueError) return valueAt(SPEC_DEFAULTS, path);
    throw e;
  }
}

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

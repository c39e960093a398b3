/**
 * `lanes`: how many jobs of an experiment run at once. An EXECUTION setting, declared here once
 * (flag, default, allowed values): it is not part of the spec, so it changes neither the experiment
 * id nor any result (every job's seed, data and inputs come from the spec and its job id).
 */
import { OptionValueError } from './spec-text';

export const LANES_FLAG = 'lanes';
export const LANES_USAGE = `--${LANES_FLAG} N               jobs run at once, each in its own worker thread and tfjs backend (an integer ≥ 1;
                          default: the number of cores, capped by memory); results do not depend on it`;

/** Memory one lane is allowed for the default: a base model, its training state and a transfer source. */
export const LANE_MEMORY_BYTES = 1.5 * 1024 ** 3;

/** The default: one lane per core, as many as the memory holds (at least one). */
export function defaultLanes(cores: number, memoryBytes: number): number {
  return Math.max(1, Math.min(cores, Math.floor(memoryBytes / LANE_MEMORY_BYTES)));
}

/** Parses the flag's text: an integer ≥ 1; `warn` gets a line when it exceeds the cores. */
export function parseLanes(text: string, cores: number, warn: (line: string) => void): number {
  const n = /^\s*[+-]?\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(n) || n < 1) throw new OptionValueError(`--${LANES_FLAG}`, `must be an integer ≥ 1, got "${text}"`);
  if (n > cores) warn(`warning: --${LANES_FLAG} ${n} is more than the ${cores} cores of this machine; lanes will share cores`);
  return n;
}

/**
 * The app's default: one lane per core on wasm or cpu (each lane a Web Worker with its own backend,
 * as the memory allows: `deviceMemoryGiB` is what the browser reports, undefined where it does not,
 * then 4 GiB are assumed); one on a GPU backend, whose lanes would queue on the one device.
 */
export function defaultBrowserLanes(backend: string, cores: number, deviceMemoryGiB?: number): number {
  if (backend === 'webgpu' || backend === 'webgl') return 1;
  return defaultLanes(Math.max(1, cores || 1), (deviceMemoryGiB ?? 4) * 1024 ** 3);
}

/** A lanes value given by a caller other than the CLI (the app, the worker protocol): an integer ≥ 1. */
export function checkLanes(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new OptionValueError(LANES_FLAG, `must be an integer ≥ 1, got ${n}`);
  return n;
}

/** Numbers and durations as the views print them. */

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const s = Math.max(0, ms / 1000);
  if (s < 1) return `${Math.round(ms)} ms`;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s - 60 * m)} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${m - 60 * h} min`;
}

/**
 * The ETA under the overall progress bar. An estimate under a second while jobs remain is not a
 * measurement of them (the jobs left have not been timed yet, or are not of a timed kind): say
 * how many jobs are left instead of "about 0 ms left".
 */
export function timeLeftText(etaMs: number | null | undefined, done: number, total: number): string {
  const left = Math.max(0, total - done);
  if (left === 0) return '';
  const jobs = `${left} job${left === 1 ? '' : 's'} left`;
  if (etaMs === null || etaMs === undefined || !Number.isFinite(etaMs) || etaMs < 1000) return `${jobs}, time not measured yet`;
  return `about ${formatDuration(etaMs)} left (${jobs})`;
}

/** A time on the experiment's clock: milliseconds, or work units for the deterministic clock. */
export function formatClock(v: number, clock: 'wall' | 'work'): string {
  return clock === 'work' ? `${Math.round(v).toLocaleString('en-US')} units` : formatDuration(v);
}

export function f3(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(3);
}

export function pct(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(100 * v).toFixed(digits)} %`;
}

export function signed(v: number | null | undefined, digits = 3): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(digits)}`;
}

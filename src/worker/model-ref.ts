/**
 * A base model reference as one string, the form it takes in the URL and in an experiment spec:
 * `bundled:<name>`, `hub:<org/name>`, `stored:<id>`. Pure functions: the page imports them too.
 */
import type { ModelRef } from './protocol';

export function modelRefKey(ref: ModelRef): string {
  switch (ref.kind) {
    case 'bundled': return `bundled:${ref.name}`;
    case 'hub': return `hub:${ref.id}`;
    case 'stored': return `stored:${ref.id}`;
    case 'files': return `files:${ref.label}`;
  }
}

export function parseModelRefKey(key: string | null | undefined): ModelRef | null {
  const m = key ? /^(bundled|hub|stored):(.+)$/.exec(key) : null;
  if (!m) return null;
  if (m[1] === 'bundled') return { kind: 'bundled', name: m[2] };
  if (m[1] === 'hub') return { kind: 'hub', id: m[2] };
  return { kind: 'stored', id: m[2] };
}

/** A short name for display. */
export function modelLabel(ref: ModelRef | undefined | null): string {
  if (!ref) return '—';
  switch (ref.kind) {
    case 'bundled': return ref.name;
    case 'hub': return ref.id;
    case 'stored': return ref.id.replace(/^upload:/, '').replace(/:[a-z0-9]+$/, '');
    case 'files': return ref.label;
  }
}

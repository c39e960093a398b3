/**
 * Types that cross the worker boundary. The UI imports only these (and type-only lib types):
 * it never calls tfjs itself.
 */
import type { BackendInfo, BackendPreference } from '../lib/runtime/backend';

export type { BackendInfo, BackendPreference };

/** Where a base model comes from. */
export type ModelRef =
  | { kind: 'bundled'; name: string }
  | { kind: 'hub'; id: string }
  | { kind: 'files'; label: string };

export interface ModelSummary {
  ref: ModelRef;
  layers: number;
  hidden: number;
  heads: number;
  intermediate: number;
  vocabSize: number;
  maxPositions: number;
  parameters: number;
  bytes: number;
  notes: string[];
}

export interface ForwardResult {
  text: string;
  tokens: string[];
  inputIds: number[];
  logits: number[];
  probabilities: number[];
}

export interface DownloadProgress {
  file: string;
  loaded: number;
  total?: number;
}

/** The bert-ref fixture (model A), model B of the ANSAT fixture, and their expected values. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { folderSource } from '../../../src/lib/bert/file-source.node.js';
import { memorySource } from '../../../src/lib/bert/file-source';
import { loadBert, type LoadedBert } from '../../../src/lib/bert/load';

export const BERT_REF = fileURLToPath(new URL('../../fixtures/bert-ref/', import.meta.url));
export const ANSAT_DIR = fileURLToPath(new URL('../../fixtures/ansat/', import.meta.url));

export interface ExpectedLayer {
  raw_token_sums: number[];
  l2_norm: number;
  normalized: number[];
  attribution_total: number;
  convergence_delta: number;
}
export interface ExpectedTerm { term: string; pieces: string[]; token_indices: number[]; score: number }
export interface ExpectedConductance {
  method: 'gausslegendre' | 'riemann_trapezoid';
  n_steps: number;
  target: number;
  F_input: number;
  F_baseline: number;
  layers: ExpectedLayer[];
  layer_mean_normalized: number[];
  terms: ExpectedTerm[];
}
export interface ExpectedSentence {
  text: string;
  tokens: string[];
  input_ids: number[];
  baseline_ids: number[];
  conductance: Record<'gausslegendre_50' | 'riemann_trapezoid_20', ExpectedConductance>;
}
export interface Expected {
  captum: { variants: Record<'gausslegendre_50' | 'riemann_trapezoid_20', { alphas: number[] }> };
  sentences: ExpectedSentence[];
}

export const expected = JSON.parse(readFileSync(BERT_REF + 'expected.json', 'utf8')) as Expected;

export interface ExpectedAnsat {
  thresholds: number[];
  document_sets: Record<'D_A' | 'D_B' | 'D_AB', number[]>;
  ansat: Record<'D_A' | 'D_B' | 'D_AB', number[]>;
  numerator_counts: Record<'D_A' | 'D_B' | 'D_AB', number[]>;
  per_sentence: {
    index: number;
    text: string;
    tokens: string[];
    terms: { term: string; score_a: number; score_b: number }[];
  }[];
}

export const expectedAnsat = JSON.parse(readFileSync(ANSAT_DIR + 'expected_ansat.json', 'utf8')) as ExpectedAnsat;

export function loadModelA(): Promise<LoadedBert> {
  return loadBert(folderSource(BERT_REF));
}

/** Model B: bert-ref's config and tokenizer with the ANSAT fixture's weights. */
export function modelBFiles(): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  for (const name of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt']) {
    files.set(name, new Uint8Array(readFileSync(BERT_REF + name)));
  }
  files.set('model.safetensors', new Uint8Array(readFileSync(ANSAT_DIR + 'model_b.safetensors')));
  return files;
}

export function loadModelB(): Promise<LoadedBert> {
  return loadBert(memorySource(modelBFiles(), 'model B (ansat fixture)'));
}

/** Largest absolute difference between two equally long number lists (fails loudly on a length mismatch). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

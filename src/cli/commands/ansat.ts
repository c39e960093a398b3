/** `ansat`: the 42 ANSAT features of a model pair on three document sets. */
import { readFile } from 'node:fs/promises';
import { parseArgs } from '../args';
import { describeFsError } from '../../lib/util/fs-errors';
import { initBackend } from '../../lib/runtime/backend.node.js';
import { MemoryAttributionCache } from '../../lib/explain/attribution-cache';
import { explainDocuments } from '../../lib/explain/explain-documents';
import { textHash } from '../../lib/util/hash';
import { ansatDocTerms, ansatTable, type AnsatDocTerms } from '../../lib/transfer/ansat';
import { ANSAT_DOC_SETS, type AnsatDocSet } from '../../lib/search/feature-names';
import { conductanceSettings, loadModelFolder } from './conductance';

export const usage = `usage: npm run cli -- ansat --model-a DIR --model-b DIR --docs FILE.json [--steps 50]
         [--method gausslegendre|riemann_trapezoid] [--target 1] [--internal-batch N]
  FILE.json: {"D_A":[texts],"D_B":[texts],"D_AB":[texts]} (an empty list gives ANSAT 0).
  Each distinct text is explained once per model. Prints {"thresholds":[14],"ansat":{"D_A":[14],
  "D_B":[14],"D_AB":[14]},"numerator_counts":{…},"features":{"ansat_D_A_0.05":…}}.`;

type DocSets = Record<AnsatDocSet, string[]>;

/** Reads and checks the document-set file; errors name the file, the set and the entry. */
export async function readDocSets(file: string): Promise<DocSets> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`--docs ${describeFsError(err, file) ?? `${file}: cannot read the file`}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`--docs ${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new Error(`--docs ${file}: expected an object {"D_A":[texts],"D_B":[texts],"D_AB":[texts]}`);
  }
  const obj = json as Record<string, unknown>;
  const unknown = Object.keys(obj).filter((k) => !(ANSAT_DOC_SETS as readonly string[]).includes(k));
  if (unknown.length > 0) throw new Error(`--docs ${file}: unknown key(s) ${unknown.join(', ')}; expected ${ANSAT_DOC_SETS.join(', ')}`);
  const sets = {} as DocSets;
  for (const set of ANSAT_DOC_SETS) {
    const list = obj[set];
    if (!Array.isArray(list)) throw new Error(`--docs ${file}: "${set}" must be a list of texts, got ${list === undefined ? 'nothing' : JSON.stringify(list)}`);
    list.forEach((t, i) => {
      if (typeof t !== 'string') throw new Error(`--docs ${file}: ${set}[${i}] must be a text (string), got ${JSON.stringify(t)}`);
    });
    sets[set] = list as string[];
  }
  return sets;
}

export async function run(argv: string[]): Promise<unknown> {
  const args = parseArgs(argv, ['model-a', 'model-b', 'docs', 'steps', 'method', 'target', 'internal-batch']);
  const dirA = args.required('model-a');
  const dirB = args.required('model-b');
  const sets = await readDocSets(args.required('docs'));
  const settings = conductanceSettings(args);
  await initBackend('wasm');

  const unique = [...new Set(ANSAT_DOC_SETS.flatMap((s) => sets[s]))].map((text) => ({ id: textHash(text), text }));
  const cache = new MemoryAttributionCache();
  const termsOf = async (dir: string, flag: string) => {
    const { model, tokenizer } = await loadModelFolder(flag, dir);
    try {
      const { attributions } = await explainDocuments(model, tokenizer, unique, { modelId: dir, cache, ...settings });
      return new Map(unique.map((d, i) => [d.text, attributions[i]]));
    } finally {
      model.dispose();
    }
  };
  const byTextA = await termsOf(dirA, 'model-a');
  // Same folder twice: the cache key includes the folder, so B reuses A's attributions.
  const byTextB = await termsOf(dirB, 'model-b');

  const docSets = {} as Record<AnsatDocSet, AnsatDocTerms[]>;
  for (const set of ANSAT_DOC_SETS) {
    docSets[set] = sets[set].map((text, i) => ansatDocTerms(byTextA.get(text)!, byTextB.get(text)!, `${set}[${i}]`));
  }
  const table = ansatTable(docSets);
  return {
    thresholds: table.thresholds,
    ansat: table.values,
    numerator_counts: table.numeratorCounts,
    features: table.features,
  };
}

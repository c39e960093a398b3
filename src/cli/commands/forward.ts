/** `forward`: logits and probabilities of a model for one or more texts. */
import { parseArgs, CliError } from '../args';
import { initBackend } from '../../lib/runtime/backend.node.js';
import { folderSource } from '../../lib/bert/file-source.node.js';
import { loadBert } from '../../lib/bert/load';
import { predictLogits, softmaxRow } from '../../lib/bert/batch';

export const usage = `usage: npm run cli -- forward --model DIR --text "…" [--text "…" …] [--max-length N] [--backend wasm|cpu]
  Prints {"sentences":[{"text","tokens","input_ids","logits","probabilities"}]}.`;

export async function run(argv: string[]): Promise<unknown> {
  const args = parseArgs(argv, ['model', 'text', 'max-length', 'backend']);
  const dir = args.required('model');
  const texts = args.all('text');
  if (texts.length === 0) throw new CliError('give at least one --text');
  await initBackend((args.get('backend') ?? 'wasm') as 'wasm' | 'cpu');
  const { model, tokenizer } = await loadBert(folderSource(dir));
  try {
    const maxLength = args.int('max-length', Math.min(tokenizer.maxLength, model.config.max_position_embeddings));
    const encodings = texts.map((t) => tokenizer.encode(t, maxLength));
    const logits = await predictLogits(model, encodings.map((e) => e.inputIds), { padId: tokenizer.padId });
    return {
      sentences: texts.map((text, i) => ({
        text,
        tokens: encodings[i].tokens,
        input_ids: encodings[i].inputIds,
        logits: logits[i],
        probabilities: softmaxRow(logits[i]),
      })),
    };
  } finally {
    model.dispose();
  }
}

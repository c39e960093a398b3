import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bertTokenizerFiles } from '../../../src/lib/pretrain/tokenizer-files';
import { countWords, trainWordPiece } from '../../../src/lib/pretrain/wordpiece-trainer';

const ROOT = join(import.meta.dirname, '../../..');
const FIXTURE = join(ROOT, 'models/fixture-tiny');
const tmp = mkdtempSync(join(tmpdir(), 'tokenizer-files-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('bertTokenizerFiles', () => {
  it('writes the fixture vocabulary byte-for-byte as transformers wrote models/fixture-tiny', () => {
    const vocab = readFileSync(join(FIXTURE, 'vocab.txt'), 'utf8').split('\n').slice(0, -1);
    const files = bertTokenizerFiles(vocab, { modelMaxLength: 64 });
    for (const [name, text] of Object.entries(files)) expect(text, name).toBe(readFileSync(join(FIXTURE, name), 'utf8'));
  });

  it('rejects a vocabulary without the BERT special tokens first, or with duplicates', () => {
    expect(() => bertTokenizerFiles(['[UNK]', '[PAD]', '[CLS]', '[SEP]', '[MASK]'], { modelMaxLength: 8 })).toThrow(/entry 0 must be \[PAD\]/);
    expect(() => bertTokenizerFiles(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', 'a', 'a'], { modelMaxLength: 8 })).toThrow(/entry 6 .* twice/);
  });

  it('gives a folder that @xenova/transformers loads and that tokenises with the learnt pieces', async () => {
    const counts = new Map([
      ['low', 5],
      ['lower', 2],
      ['newest', 6],
      ['widest', 3],
    ]);
    countWords('. , .', counts);
    const { vocab } = trainWordPiece(counts, { vocabSize: 100, minCharFrequency: 1 });
    const dir = join(tmp, 'toy');
    mkdirSync(dir);
    for (const [name, text] of Object.entries(bertTokenizerFiles(vocab, { modelMaxLength: 32 }))) writeFileSync(join(dir, name), text);

    const { AutoTokenizer, env } = await import('@xenova/transformers');
    env.allowRemoteModels = false;
    env.localModelPath = tmp + '/';
    const tokenizer = await AutoTokenizer.from_pretrained('toy');
    const ids = Array.from(tokenizer.encode('Lower, NEWEST widest lowest.') as number[]);
    expect(ids.map((i) => vocab[i])).toEqual(['[CLS]', 'lower', ',', 'newest', 'widest', 'low', '##est', '.', '[SEP]']);
    expect(tokenizer.decode(ids, { skip_special_tokens: true })).toBe('lower, newest widest lowest.');
  });
});

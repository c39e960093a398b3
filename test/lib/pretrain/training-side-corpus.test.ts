import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../../src/lib/data/normalize-text';
import type { Dataset, Doc } from '../../../src/lib/data/schema';
import { splitWithValidation } from '../../../src/lib/data/split';
import { trainingSideCorpus } from '../../../src/lib/pretrain/training-side-corpus';

// 60 tweets of 20 distinct messages, each message three times as a retweet or a copy with another
// link, plus two that normalize to nothing; labels so that the stratification has work to do.
function tweets(): Dataset {
  const docs: Doc[] = [];
  for (let m = 0; m < 20; m++) {
    const text = `flood message ${m} near the river bridge`;
    const labels = m % 3 === 0 ? ['Location'] : m % 3 === 1 ? ['EmergingThreats'] : [];
    docs.push({ id: `${m}a`, text, labels });
    docs.push({ id: `${m}b`, text: `RT @user${m}: ${text}`, labels });
    docs.push({ id: `${m}c`, text: `${text}   https://t.co/x${m}`, labels });
  }
  docs.push({ id: 'e1', text: '🙏🙏', labels: [] }, { id: 'e2', text: '!!!', labels: ['Location'] });
  return { name: 'tweets', source: { format: 'jsonl', files: [], notes: [] }, tasks: ['Location', 'EmergingThreats'], docs };
}

describe('trainingSideCorpus', () => {
  const split = { seed: 3, testFraction: 0.25, by: 'duplicates' as const };

  it('holds the training side of the split an experiment makes, each message once, and no test message', () => {
    const ds = tweets();
    const { texts, counts } = trainingSideCorpus(ds, split);
    const sides = splitWithValidation(ds, { ...split, validationFraction: 0.2 });
    const testKeys = new Set(ds.docs.filter((d) => sides.test.includes(d.id)).map((d) => normalizeText(d.text)));
    expect(sides.test.length).toBeGreaterThan(0);
    expect(texts.length).toBeGreaterThan(0);
    for (const t of texts) expect(testKeys.has(normalizeText(t)), t).toBe(false);
    // Validation documents are training side: every non-test message is in, once.
    const trainKeys = new Set(ds.docs.filter((d) => !sides.test.includes(d.id)).map((d) => normalizeText(d.text)).filter(Boolean));
    expect(new Set(texts.map(normalizeText))).toEqual(trainKeys);
    expect(texts.length).toBe(trainKeys.size);
    expect(counts).toMatchObject({ documents: ds.docs.length, test: sides.test.length, kept: texts.length, droppedAsTestCopy: 0 });
    expect(counts.trainingSide).toBe(ds.docs.length - sides.test.length);
    expect(counts.droppedAsCopy + counts.droppedEmpty + counts.kept).toBe(counts.trainingSide);
  });

  it('drops a training-side copy of a test message when the split does not group copies (by: none)', () => {
    const ds = tweets();
    const { texts, counts } = trainingSideCorpus(ds, { ...split, by: 'none' });
    const test = new Set(splitWithValidation(ds, { ...split, by: 'none', validationFraction: 0 }).test);
    const testKeys = new Set(ds.docs.filter((d) => test.has(d.id)).map((d) => normalizeText(d.text)));
    for (const t of texts) expect(testKeys.has(normalizeText(t))).toBe(false);
    expect(counts.droppedAsTestCopy).toBeGreaterThan(0);
  });

  it('collapses whitespace and leaves out texts that normalize to nothing', () => {
    const ds = tweets();
    const { texts, counts } = trainingSideCorpus(ds, split);
    for (const t of texts) expect(t).toBe(t.replace(/\s+/g, ' ').trim());
    expect(texts.some((t) => normalizeText(t) === '')).toBe(false);
    const test = new Set(splitWithValidation(ds, { ...split, validationFraction: 0 }).test);
    expect(counts.droppedEmpty).toBe(ds.docs.filter((d) => !test.has(d.id) && normalizeText(d.text) === '').length);
  });
});

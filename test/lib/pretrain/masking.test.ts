import { describe, expect, it } from 'vitest';
import { makeMlmBatch, maskSequence, predictionCount, type MaskingConfig } from '../../../src/lib/pretrain/masking';
import { createRng } from '../../../src/lib/util/rng';

const SPECIAL = [0, 1, 2, 3, 4]; // [PAD] [UNK] [CLS] [SEP] [MASK]
const CONFIG: MaskingConfig = { vocabSize: 8000, maskId: 4, specialIds: SPECIAL };

/** [CLS] 100 random non-special ids [SEP] [PAD]×10 */
function sequence(rng: ReturnType<typeof createRng>): number[] {
  return [2, ...Array.from({ length: 100 }, () => 5 + rng.int(7995)), 3, ...new Array(10).fill(0)];
}

describe('maskSequence', () => {
  it('chooses 15 % of non-special positions and replaces 80 / 10 / 10 over a large sample', () => {
    const rng = createRng(11);
    let chosen = 0;
    let masked = 0;
    let random = 0;
    let same = 0;
    for (let n = 0; n < 3000; n++) {
      const ids = sequence(rng);
      const m = maskSequence(ids, CONFIG, rng);
      expect(m.positions.length).toBe(15); // round(100 · 0.15)
      chosen += m.positions.length;
      m.positions.forEach((p, j) => {
        expect(m.labels[j]).toBe(ids[p]);
        if (m.inputIds[p] === 4) masked++;
        else if (m.inputIds[p] === ids[p]) same++;
        else random++;
      });
      // Nothing else changed.
      for (let i = 0; i < ids.length; i++) if (!m.positions.includes(i)) expect(m.inputIds[i]).toBe(ids[i]);
    }
    expect(masked / chosen).toBeGreaterThan(0.79);
    expect(masked / chosen).toBeLessThan(0.81);
    expect(random / chosen).toBeGreaterThan(0.093);
    expect(random / chosen).toBeLessThan(0.107);
    expect(same / chosen).toBeGreaterThan(0.093);
    expect(same / chosen).toBeLessThan(0.107);
  });

  it('never chooses a special position and never draws a special token as the random replacement', () => {
    const rng = createRng(5);
    // A tiny vocabulary makes a special draw likely if it were allowed.
    const config: MaskingConfig = { vocabSize: 8, maskId: 4, specialIds: SPECIAL, maskTokenShare: 0, randomTokenShare: 1 };
    for (let n = 0; n < 500; n++) {
      const ids = [2, 5, 6, 7, 1, 5, 3, 0, 0];
      const m = maskSequence(ids, config, rng);
      for (const p of m.positions) {
        expect(SPECIAL).not.toContain(ids[p]);
        expect(SPECIAL).not.toContain(m.inputIds[p]);
      }
      expect(m.positions.length).toBe(1); // max(1, round(4 · 0.15))
    }
  });

  it('is deterministic per seed and differs between seeds', () => {
    const ids = sequence(createRng(1));
    const a = maskSequence(ids, CONFIG, createRng(42));
    const b = maskSequence(ids, CONFIG, createRng(42));
    const c = maskSequence(ids, CONFIG, createRng(43));
    expect(b).toEqual(a);
    expect(Array.from(c.positions)).not.toEqual(Array.from(a.positions));
  });

  it('predicts at least one, at most maxPredictions, and nothing in an all-special sequence', () => {
    expect(predictionCount(1, CONFIG)).toBe(1);
    expect(predictionCount(0, CONFIG)).toBe(0);
    expect(predictionCount(1000, { ...CONFIG, maxPredictions: 20 })).toBe(20);
    expect(maskSequence([2, 3, 0], CONFIG, createRng(1)).positions.length).toBe(0);
  });

  it('rejects ids outside the vocabulary and inconsistent configs', () => {
    expect(() => maskSequence([2, 9000, 3], CONFIG, createRng(1))).toThrow(/9000 at position 1 is outside the vocabulary/);
    expect(() => maskSequence([2, 5, 3], { ...CONFIG, specialIds: [0, 1, 2, 3] }, createRng(1))).toThrow(/must include maskId/);
    expect(() => maskSequence([2, 5, 3], { ...CONFIG, maskTokenShare: 0.95, randomTokenShare: 0.1 }, createRng(1))).toThrow(/must not exceed 1/);
  });
});

describe('makeMlmBatch', () => {
  it('pads sequences and prediction slots into flat arrays', () => {
    const seqs = [
      [2, 10, 11, 12, 13, 14, 15, 16, 3],
      [2, 20, 21, 3],
    ];
    const b = makeMlmBatch(seqs, { ...CONFIG, padId: 0, maxPredictions: 3 }, createRng(7), 10);
    expect(b.batchSize).toBe(2);
    expect(b.seqLength).toBe(10);
    expect(Array.from(b.attentionMask)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(b.inputIds.slice(14))).toEqual([0, 0, 0, 0, 0, 0]);
    // 7 candidates → 1 prediction; 2 candidates → 1 prediction; the other slots are padding.
    expect(Array.from(b.maskedWeights)).toEqual([1, 0, 0, 1, 0, 0]);
    for (const [row, slot] of [[0, 0], [1, 3]] as const) {
      const pos = b.maskedPositions[slot];
      expect(b.maskedFlatPositions[slot]).toBe(row * 10 + pos);
      expect(b.maskedLabels[slot]).toBe(seqs[row][pos]);
      expect(SPECIAL).not.toContain(b.maskedLabels[slot]);
    }
    expect(() => makeMlmBatch(seqs, { ...CONFIG, padId: 0, maxPredictions: 3 }, createRng(7), 5)).toThrow(/more than seqLength 5/);
  });
});

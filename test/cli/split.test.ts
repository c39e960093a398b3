import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/args';
import { run } from '../../src/cli/commands/split';
import { normalizeText } from '../../src/lib/data/normalize-text';

const dir = mkdtempSync(join(tmpdir(), 'split-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// 240 documents, 60 distinct messages each posted four times in some variant, over 4 events.
const lines: string[] = [];
for (let i = 0; i < 240; i++) {
  const k = i % 60;
  const text = [`Water rising at point ${k}`, `RT @a: water rising at point ${k}`, `WATER rising at point ${k} https://t.co/${i}`, `water, rising at point ${k}!`][Math.floor(i / 60)];
  const labels = k % 4 === 0 ? ['flood'] : k % 7 === 0 ? ['help'] : [];
  lines.push(JSON.stringify({ id: `t${i}`, text, labels, event: `ev${(i * 7) % 4}` }));
}
const data = join(dir, 'posts.jsonl');
writeFileSync(data, lines.join('\n') + '\n');
const textOf = new Map(lines.map((l) => JSON.parse(l) as { id: string; text: string }).map((d) => [d.id, d.text]));

async function split(...extra: string[]) {
  const out = join(dir, `split-${extra.join('-') || 'default'}.json`);
  const printed = (await run(['--data', data, '--format', 'jsonl', '--out', out, ...extra])) as Record<string, any>;
  return { printed, file: JSON.parse(readFileSync(out, 'utf8')) as Record<string, any> };
}

describe('cli split', () => {
  it('writes train / validation / test ids grouped by normalized text, with zero leakage by default', async () => {
    const { printed, file } = await split('--seed', '3');
    expect(Object.keys(file)).toEqual(['by', 'seed', 'testFraction', 'validationFraction', 'train', 'validation', 'test', 'leakage']);
    expect([file.by, file.seed]).toEqual(['duplicates', 3]);
    const all = [...file.train, ...file.validation, ...file.test];
    expect(new Set(all).size).toBe(240);
    const sideOfGroup = new Map<string, string>();
    for (const side of ['train', 'validation', 'test']) {
      for (const id of file[side] as string[]) {
        const key = normalizeText(textOf.get(id)!);
        expect(sideOfGroup.get(key) ?? side, key).toBe(side);
        sideOfGroup.set(key, side);
      }
    }
    expect(sideOfGroup.size).toBe(60);
    expect(file.leakage).toMatchObject({ groups: 60, duplicateGroups: 60, documentsInDuplicateGroups: 240, testWithDuplicateInTrain: 0, validationWithDuplicateInTrain: 0 });
    expect(printed).toMatchObject({ documents: 240, train: file.train.length, validation: file.validation.length, test: file.test.length, leakage: file.leakage });
  });

  it('leaks with --by none, and keeps events apart with --by event', async () => {
    const none = await split('--by', 'none', '--seed', '3');
    expect(none.file.leakage.testWithDuplicateInTrain).toBeGreaterThan(20);
    const event = await split('--by', 'event', '--validation-fraction', '0.3');
    const eventOf = new Map(lines.map((l) => JSON.parse(l) as { id: string; event: string }).map((d) => [d.id, d.event]));
    const eventsOn = (side: string) => new Set((event.file[side] as string[]).map((id) => eventOf.get(id)));
    for (const e of eventsOn('test')) expect(eventsOn('train').has(e) || eventsOn('validation').has(e)).toBe(false);
  });

  it('gives usage errors for bad flags and for --by event on one event', async () => {
    const out = join(dir, 'x.json');
    await expect(run(['--data', data, '--format', 'jsonl', '--out', out, '--by', 'text'])).rejects.toThrow(/--by must be one of duplicates, event, none, got "text"/);
    await expect(run(['--data', data, '--format', 'jsonl', '--out', out, '--test-fraction', '1'])).rejects.toThrow(/--test-fraction must be in \(0, 1\)/);
    await expect(run(['--data', data, '--format', 'jsonl', '--out', out, '--merge', 'last'])).rejects.toThrow(/--merge applies to --format trecis only/);
    const one = join(dir, 'one.jsonl');
    writeFileSync(one, lines.map((l) => JSON.stringify({ ...JSON.parse(l), event: 'only' })).join('\n'));
    const err = await run(['--data', one, '--format', 'jsonl', '--out', out, '--by', 'event']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliError);
    expect((err as Error).message).toMatch(/one event \("only"\)/);
    await expect(run(['--data', join(dir, 'missing.jsonl'), '--format', 'jsonl', '--out', out])).rejects.toThrow(/--data .*missing\.jsonl/);
  });
});

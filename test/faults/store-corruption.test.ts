/**
 * Faults in stored records: a byte changed after writing (so that the file still parses), a
 * damaged header length, truncation, and random bytes. Every read either returns the record as
 * written or throws a CorruptRecordError naming the record and its file — never a silently wrong
 * record, never another error, never a native abort — and the other records stay readable.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDB } from 'idb';
import { fileNameOf, openFolderStore } from '../../src/lib/store/folder.node.js';
import { openIdbStore } from '../../src/lib/store/idb';
import { CorruptRecordError } from '../../src/lib/store/errors';
import { decodeRecordFile, encodeRecordFile } from '../../src/lib/store/record-file';
import { createRng } from '../../src/lib/util/rng';
import { attribution, bytes, model, run } from '../lib/store/contract';

const made: string[] = [];
async function freshDir(): Promise<string> {
  const d = await fsp.mkdtemp(join(tmpdir(), 'transferscope-faults-'));
  made.push(d);
  return d;
}
afterEach(async () => {
  while (made.length) await fsp.rm(made.pop()!, { recursive: true, force: true });
});

async function corruptError(p: Promise<unknown>): Promise<CorruptRecordError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(CorruptRecordError);
  return e as CorruptRecordError;
}

describe('folder store: corrupted records', () => {
  it('a run record with one metric digit changed still parses, and is refused by name and file', async () => {
    const dir = await freshDir();
    const store = await openFolderStore(dir);
    await store.runs.putMany([run('r1', { metrics: { f1: 0.5, accuracy: 0.75 } }), run('r2')]);
    const file = join(dir, 'runs', fileNameOf('r1'));
    const text = await fsp.readFile(file, 'utf8');
    await fsp.writeFile(file, text.replace('"f1":0.5', '"f1":0.9'));
    expect(() => JSON.parse(text.replace('"f1":0.5', '"f1":0.9'))).not.toThrow();
    const e = await corruptError(store.runs.get('r1'));
    expect(e.message).toBe(`the stored runs record "r1" (${file}) is corrupt: checksum mismatch (the record was changed after it was written)`);
    await corruptError(store.runs.list());
    await corruptError((await openFolderStore(dir)).runs.listBy('experimentId', 'exp1'));
    expect(await store.runs.get('r2')).toEqual(run('r2')); // nothing else is lost
  });

  it('a flipped byte in a model\'s weights is caught when the weights are read; the metadata stays readable', async () => {
    const dir = await freshDir();
    const store = await openFolderStore(dir);
    await store.models.putWithFiles(model('m1'), { safetensors: bytes(4096, 7) });
    const file = join(dir, 'models', fileNameOf('m1'));
    const b = await fsp.readFile(file);
    b[b.length - 100] ^= 0x01;
    await fsp.writeFile(file, b);
    expect(await store.models.get('m1')).toEqual(model('m1'));
    const e = await corruptError(store.models.getFiles('m1'));
    expect(e.message).toMatch(/^the stored models record "m1" \(.*m1\.rec\) is corrupt: checksum mismatch in blob 0 \(4096 bytes\)$/);
  });

  it('a flipped byte in an attribution\'s scores (a blob of the record itself) is caught on get', async () => {
    const dir = await freshDir();
    const store = await openFolderStore(dir);
    const a = attribution('m1', 'd1');
    await store.attributions.put(a);
    const file = join(dir, 'attributions', fileNameOf(a.id));
    const b = await fsp.readFile(file);
    b[b.length - 3] ^= 0x40;
    await fsp.writeFile(file, b);
    expect((await corruptError(store.attributions.get(a.id))).message).toMatch(/checksum mismatch in blob \d+/);
  });

  it('a header length of 0xFFFFFFF0 is refused before anything is allocated', async () => {
    const dir = await freshDir();
    const store = await openFolderStore(dir);
    await store.models.putWithFiles(model('m1'), { safetensors: bytes(256, 1) });
    const file = join(dir, 'models', fileNameOf('m1'));
    const b = await fsp.readFile(file);
    b.writeUInt32LE(0xfffffff0, 4);
    await fsp.writeFile(file, b);
    const started = performance.now();
    for (const read of [() => store.models.get('m1'), () => store.models.getFiles('m1'), () => (openFolderStore(dir)).then((s) => s.models.listBy('task', 'a'))]) {
      const e = await corruptError(read());
      expect(e.message).toMatch(/the header length reads 4294967280 bytes, but the file has \d+ bytes/);
    }
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('a truncated record file is refused, at every length', async () => {
    const dir = await freshDir();
    const store = await openFolderStore(dir);
    const a = attribution('m1', 'd1');
    await store.attributions.put(a);
    await store.runs.put(run('r1'));
    for (const [table, id] of [['attributions', a.id], ['runs', 'r1']] as const) {
      const file = join(dir, table, fileNameOf(id));
      const whole = await fsp.readFile(file);
      for (let n = 0; n < whole.length; n += Math.max(1, Math.floor(whole.length / 60))) {
        await fsp.writeFile(file, whole.subarray(0, n));
        const e = await corruptError(store[table].get(id));
        expect(e.place.table).toBe(table);
        expect(e.place.file).toBe(file);
      }
      await fsp.writeFile(file, whole);
      expect(await store[table].get(id)).toBeDefined();
    }
  });
});

describe('record files: fuzz', () => {
  const rng = createRng(20261203);
  const replacer = (_k: string, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Uint8Array) : v);
  const randomBytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(rng.next() * 256));

  it('random bytes, random headers and truncations only ever give CorruptRecordError', () => {
    const real = [
      encodeRecordFile(run('r1')),
      encodeRecordFile(attribution('m1', 'd1')),
      encodeRecordFile(model('m1'), { safetensors: bytes(300, 2) }),
    ];
    const cases: Uint8Array[] = [];
    for (let i = 0; i < 300; i++) cases.push(randomBytes(Math.floor(rng.next() * 200)));
    for (let i = 0; i < 300; i++) {
      // A container magic with a random header length and random (or real) content after it.
      const base = real[1 + (i % 2)].slice();
      const b = i % 3 === 0 ? base : Uint8Array.from([...base.subarray(0, 8), ...randomBytes(base.length - 8)]);
      new DataView(b.buffer).setUint32(4, i % 5 === 0 ? 0xfffffff0 - i : Math.floor(rng.next() * 2 ** 32), true);
      cases.push(b);
    }
    for (const r of real) {
      for (let n = 0; n < r.length; n++) cases.push(r.subarray(0, n));
      for (let k = 0; k < 100; k++) {
        const b = r.slice();
        b[Math.floor(rng.next() * b.length)] ^= 1 << Math.floor(rng.next() * 8);
        cases.push(b);
      }
    }
    const originals = real.map((r) => decodeRecordFile(r, 'real.rec'));
    let refused = 0;
    for (const c of cases) {
      let got: ReturnType<typeof decodeRecordFile>;
      try {
        got = decodeRecordFile(c, 'fuzz.rec');
      } catch (e) {
        if (!(e instanceof CorruptRecordError)) throw new Error(`not a CorruptRecordError for ${c.length} bytes: ${String(e)}`);
        refused++;
        continue;
      }
      // Only damage to padding (a flipped pad byte, the trailing pad cut off) may leave a file
      // readable, and then it must read as the very record that was written.
      expect(originals.some((o) => JSON.stringify(o, replacer) === JSON.stringify(got, replacer))).toBe(true);
    }
    expect(refused).toBeGreaterThan(cases.length * 0.95);
  });

  it('the folder store reads random files without crashing: every one is refused as corrupt', async () => {
    const dir = await freshDir();
    const store = await openFolderStore(dir);
    for (let i = 0; i < 120; i++) {
      const b = randomBytes(8 + Math.floor(rng.next() * 120));
      if (i % 2 === 0) b.set([0x54, 0x53, 0x52, i % 4 === 0 ? 0x32 : 0x31], 0);
      await fsp.writeFile(join(dir, 'models', fileNameOf(`m${i}`)), b);
      await corruptError(store.models.get(`m${i}`));
      await corruptError(store.models.getFiles(`m${i}`));
    }
  });
});

describe('IndexedDB store: corrupted records', () => {
  it('a record edited in the database is refused by name; the others stay readable', async () => {
    const name = `transferscope-faults-${process.pid}`;
    const store = await openIdbStore({ name });
    await store.runs.putMany([run('r1', { metrics: { f1: 0.5 } }), run('r2')]);
    await store.models.putWithFiles(model('m1'), { safetensors: bytes(64, 1) });
    const raw = await openDB(name);
    const stored = (await raw.get('runs', 'r1')) as { metrics: { f1: number } };
    await raw.put('runs', { ...stored, metrics: { f1: 0.9 } });
    const files = (await raw.get('modelFiles', 'm1')) as { safetensors: Uint8Array };
    files.safetensors[3] ^= 1;
    await raw.put('modelFiles', files);
    raw.close();
    const e = await corruptError(store.runs.get('r1'));
    expect(e.message).toBe('the stored runs record "r1" (IndexedDB object store "runs") is corrupt: checksum mismatch (the record was changed after it was written)');
    await corruptError(store.runs.list());
    await corruptError(store.runs.update('r1', (r) => r));
    expect(await store.runs.get('r2')).toEqual(run('r2'));
    expect(await store.models.get('m1')).toEqual(model('m1'));
    expect((await corruptError(store.models.getFiles('m1'))).place.table).toBe('modelFiles');
    await store.close();
  });
});

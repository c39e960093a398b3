import { afterEach, describe, expect, it } from 'vitest';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileNameOf, idOfFileName, openFolderStore, type FolderFs } from '../../../src/lib/store/folder.node.js';
import { SCHEMA, type StoreSchema } from '../../../src/lib/store/schema';
import { StorageFullError, StoreVersionError } from '../../../src/lib/store/errors';
import { attribution, bytes, experiment, model, run, SCHEMA_V1, storeContract, v1Attribution, v1Experiment, type FullMode } from './contract';
import { legacyRecordFile } from './legacy-format';

const made: string[] = [];
async function freshDir(): Promise<string> {
  const d = await fsp.mkdtemp(join(tmpdir(), 'transferscope-store-'));
  made.push(d);
  return d;
}

/**
 * node:fs/promises with a switch that makes writes fail like a full disk: half the data reaches
 * the file, then ENOSPC (for every write, or only for large ones).
 */
function fullDiskFs(): { fs: FolderFs; setFull(mode: FullMode): void; writes: string[] } {
  let mode: FullMode = 'off';
  const writes: string[] = [];
  const fs = {
    ...(fsp as unknown as FolderFs),
    async writeFile(path: string, data: Uint8Array) {
      writes.push(path);
      if (mode === 'all' || (mode !== 'off' && data.byteLength > mode.largerThan)) {
        await fsp.writeFile(path, data.subarray(0, data.byteLength >> 1));
        throw Object.assign(new Error(`ENOSPC: no space left on device, write '${path}'`), { code: 'ENOSPC', errno: -28 });
      }
      await fsp.writeFile(path, data);
    },
  };
  return { fs, setFull: (m) => { mode = m; }, writes };
}

async function allFiles(dir: string): Promise<string[]> {
  return (await fsp.readdir(dir, { recursive: true })).map(String).sort();
}

afterEach(async () => {
  while (made.length) await fsp.rm(made.pop()!, { recursive: true, force: true });
});

storeContract('folder (Node)', async () => {
  const dir = await freshDir();
  const disk = fullDiskFs();
  return { open: () => openFolderStore(dir, { fs: disk.fs }), setFull: disk.setFull, cleanup: async () => undefined };
});

describe('folder store', () => {
  it('writes one file per record through a temporary file, and leaves no temporary file behind', async () => {
    const dir = await freshDir();
    const disk = fullDiskFs();
    const store = await openFolderStore(dir, { fs: disk.fs });
    await store.runs.put(run('r1'));
    expect(disk.writes.at(-1)).toMatch(/runs\/\.r1\.rec\.\d+-\d+-\d+\.tmp$/);
    disk.setFull('all');
    await expect(store.runs.put(run('r2'))).rejects.toBeInstanceOf(StorageFullError);
    expect((await allFiles(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(JSON.parse(await fsp.readFile(join(dir, 'runs', 'r1.rec'), 'utf8'))).toMatchObject({ $sha256: expect.stringMatching(/^[0-9a-f]{64}$/), record: { id: 'r1', metrics: { f1: { $num: 'NaN' } } } });
  });

  it('says how much room is left when the disk is full', async () => {
    const dir = await freshDir();
    const disk = fullDiskFs();
    const store = await openFolderStore(dir, { fs: { ...disk.fs, statfs: async () => ({ bavail: 3, bsize: 4096 }) } });
    await store.runs.put(run('r1'));
    disk.setFull('all');
    const err = (await store.runs.put(run('r2')).catch((e: unknown) => e)) as StorageFullError;
    expect(err.space.available).toBe(12288);
    expect(err.space.usage).toBeGreaterThan(0);
    expect(err.message).toMatch(/12\.0 KB free, [\d.]+ (B|KB) used by this store\./);
    expect((err.cause as { code: string }).code).toBe('ENOSPC');
  });

  it('removes temporary files left by a killed process when it opens', async () => {
    const dir = await freshDir();
    await (await openFolderStore(dir)).runs.put(run('r1'));
    await fsp.writeFile(join(dir, 'runs', '.r2.rec.999-1.tmp'), 'half a rec');
    const store = await openFolderStore(dir);
    expect(await store.runs.keys()).toEqual(['r1']);
    expect(await fsp.readdir(join(dir, 'runs'))).toEqual(['r1.rec']);
  });

  it('reads a model\'s metadata without reading its weights', async () => {
    const dir = await freshDir();
    const reads: string[] = [];
    const fs: FolderFs = { ...(fsp as unknown as FolderFs), readFile: async (p: string) => { reads.push(p); return fsp.readFile(p); } };
    const store = await openFolderStore(dir, { fs });
    await store.models.putWithFiles(model('m1'), { safetensors: bytes(100_000, 1) });
    reads.length = 0;
    expect(await store.models.get('m1')).toEqual(model('m1'));
    expect((await store.models.list()).map((m) => m.id)).toEqual(['m1']);
    expect(reads).toEqual([]); // header reads go through open/read, not readFile
    expect((await store.models.getFiles('m1'))!.safetensors).toEqual(bytes(100_000, 1));
  });

  it('stores typed arrays as binary, not as text', async () => {
    const dir = await freshDir();
    const store = await openFolderStore(dir);
    const a = { ...attribution('m1', 'd'), perLayer: new Float32Array(10_000).fill(0.123456789) };
    await store.attributions.put(a);
    const [file] = await fsp.readdir(join(dir, 'attributions'));
    const size = (await fsp.stat(join(dir, 'attributions', file))).size;
    expect(size).toBeLessThan(41_500); // 40,000 bytes of floats plus a header (with a digest per blob)
    expect((await store.attributions.get(a.id))!.perLayer).toEqual(a.perLayer);
  });

  it('names files reversibly and distinguishes case', () => {
    expect(fileNameOf('Location')).toBe('^location.rec');
    expect(fileNameOf('exp1::doc 7')).toBe('exp1%3A%3Adoc%207.rec');
    for (const id of ['Location', 'a/b\\c', '..', 'ünï', 'x^y%z', 'with~tilde']) expect(idOfFileName(fileNameOf(id))).toBe(id);
    const long = fileNameOf('a'.repeat(400));
    expect(long.length).toBeLessThan(200);
    expect(idOfFileName(long)).toBeUndefined(); // the id is read from the file instead
  });

  it('upgrades an older folder and records the new schema version', async () => {
    const dir = await freshDir();
    const v1 = await openFolderStore(dir);
    await v1.runs.putMany([run('r1'), run('r2', { backend: 'webgpu' })]);
    await v1.models.putWithFiles(model('m1'), { safetensors: bytes(64, 9) });
    const next = SCHEMA.version + 1;
    const v2: StoreSchema = {
      version: next,
      tables: { ...SCHEMA.tables, runs: [...SCHEMA.tables.runs, 'backend'] },
      migrations: [
        { version: next, table: 'runs', description: 'seconds', upgrade: (r) => ({ ...r, wallTimeS: (r.wallTimeMs as number) / 1000 }) },
        { version: next, table: 'models', description: 'tag', upgrade: (r) => ({ ...r, tag: 'v2' }) },
      ],
    };
    const store = await openFolderStore(dir, { schema: v2 });
    expect(JSON.parse(await fsp.readFile(join(dir, 'store.json'), 'utf8'))).toEqual({ format: 'transferscope-store', schemaVersion: next });
    expect(((await store.runs.get('r1')) as unknown as { wallTimeS: number }).wallTimeS).toBeCloseTo(1.2345);
    expect(await store.runs.keysBy('backend' as never, 'webgpu')).toEqual(['r2']);
    expect(((await store.models.get('m1')) as unknown as { tag: string }).tag).toBe('v2');
    expect((await store.models.getFiles('m1'))!.safetensors).toEqual(bytes(64, 9));
  });

  it('upgrades a schema-1 folder: attributions move to ids naming their settings, the analysis leaves the plan', async () => {
    const dir = await freshDir();
    const v1 = await openFolderStore(dir, { schema: SCHEMA_V1 });
    await v1.attributions.putMany([v1Attribution('m1', 'd1'), v1Attribution('m1', 'd2')]);
    // As if a previous upgrade was killed after writing the moved record but before removing the old file.
    await v1.attributions.put(attribution('m1', 'd2'));
    await v1.experiments.put(v1Experiment('exp1'));
    const store = await openFolderStore(dir);
    expect(await store.attributions.keys()).toEqual([attribution('m1', 'd1').id, attribution('m1', 'd2').id]);
    expect(await fsp.readdir(join(dir, 'attributions'))).toHaveLength(2);
    expect(await store.attributions.get(attribution('m1', 'd1').id)).toEqual(attribution('m1', 'd1'));
    expect(await store.attributions.keysBy('modelId', 'm1')).toHaveLength(2);
    expect(await store.experiments.get('exp1')).toEqual({ ...experiment('exp1'), plan: { tasks: ['a', 'b'], grid: 'small' }, analysis: { headline: 'h' } });
  });

  it('opens a schema-2 folder written without checksums, and rewrites every record with one', async () => {
    const dir = await freshDir();
    await fsp.writeFile(join(dir, 'store.json'), JSON.stringify({ format: 'transferscope-store', schemaVersion: 2 }));
    const put = async (table: string, id: string, bytes_: Uint8Array) => {
      await fsp.mkdir(join(dir, table), { recursive: true });
      await fsp.writeFile(join(dir, table, fileNameOf(id)), bytes_);
    };
    const a = attribution('m1', 'd1');
    await put('runs', 'r1', legacyRecordFile(run('r1')));
    await put('attributions', a.id, legacyRecordFile(a));
    await put('models', 'm1', legacyRecordFile(model('m1'), { safetensors: bytes(64, 3) }));
    const store = await openFolderStore(dir);
    expect(await store.runs.get('r1')).toEqual(run('r1'));
    expect(await store.attributions.get(a.id)).toEqual(a);
    expect(await store.models.get('m1')).toEqual(model('m1'));
    expect((await store.models.getFiles('m1'))!.safetensors).toEqual(bytes(64, 3));
    expect(JSON.parse(await fsp.readFile(join(dir, 'store.json'), 'utf8')).schemaVersion).toBe(SCHEMA.version);
    // Every file now carries its checksum: the JSON form is wrapped, containers are TSR2.
    expect(JSON.parse(await fsp.readFile(join(dir, 'runs', 'r1.rec'), 'utf8'))).toHaveProperty('$sha256');
    for (const [t, id] of [['attributions', a.id], ['models', 'm1']]) {
      expect((await fsp.readFile(join(dir, t, fileNameOf(id)))).subarray(0, 4).toString()).toBe('TSR2');
    }
  });

  it('refuses a folder written by a newer schema, and a folder that is not a store', async () => {
    const dir = await freshDir();
    await openFolderStore(dir, { schema: { ...SCHEMA, version: SCHEMA.version + 2 } });
    await expect(openFolderStore(dir)).rejects.toBeInstanceOf(StoreVersionError);
    await expect(openFolderStore(dir)).rejects.toThrow(`written by a newer TransferScope (store schema ${SCHEMA.version + 2}); this version understands up to schema ${SCHEMA.version}`);
    const other = await freshDir();
    await fsp.writeFile(join(other, 'store.json'), '{"name": "something else"}');
    await expect(openFolderStore(other)).rejects.toThrow(/store\.json is not a TransferScope store file/);
  });

  it('rejects values it cannot store, naming where they are', async () => {
    const store = await openFolderStore(await freshDir());
    await expect(store.experiments.put({ id: 'e', name: 'n', datasetId: 'd', plan: { when: new Date(0) }, jobs: {}, createdAt: '', updatedAt: '' }))
      .rejects.toThrow(/cannot store a Date at record\.plan\.when/);
    expect(await store.experiments.count()).toBe(0);
  });
});

/**
 * Faults while writing an output file: a full disk, no permission, and a kill in the middle of the
 * write. The target keeps its earlier contents (or stays absent), no temporary file is left by a
 * failure that the writer sees, and the message is one line naming the file and the space needed.
 */
import { spawn } from 'node:child_process';
import * as fsp from 'node:fs/promises';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { OutputWriteError, writeFileAtomic, writeFileAtomicSync, type AtomicFs } from '../../src/lib/util/atomic-write.node.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'output-faults-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** node:fs/promises whose writes fail with `code` after half the data reached the temporary file. */
function failingFs(code: 'ENOSPC' | 'EACCES', free = 12_288): AtomicFs {
  const real = fsp as unknown as AtomicFs;
  return {
    ...real,
    async open(path, flags) {
      const fh = await fsp.open(path, flags);
      return {
        async writeFile(data: Uint8Array) {
          await fh.writeFile(data.subarray(0, data.byteLength >> 1));
          throw Object.assign(new Error(`${code}: simulated, write`), { code, syscall: 'write' });
        },
        sync: () => fh.sync(),
        close: () => fh.close(),
      };
    },
    statfs: async () => ({ bavail: free / 4096, bsize: 4096 }),
  };
}

describe('atomic output writes', () => {
  it('a full disk leaves the earlier file intact and says which file, how much was needed and how much is free', async () => {
    const file = join(dir, 'summary.json');
    await writeFileAtomic(file, '{"earlier": true}\n');
    const err = await writeFileAtomic(file, 'x'.repeat(1 << 20), { fs: failingFs('ENOSPC') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutputWriteError);
    expect((err as Error).message).toBe(`could not write ${file} (the disk is full: 1.00 MB needed, 12.0 KB free); ${file} and the earlier results are intact`);
    expect((err as Error).message).not.toContain('\n');
    expect(readFileSync(file, 'utf8')).toBe('{"earlier": true}\n');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('no permission: one line naming the file; nothing changed', async () => {
    const file = join(dir, 'runs.csv');
    const err = await writeFileAtomic(file, 'a,b\n', { fs: failingFs('EACCES') }).catch((e: unknown) => e);
    expect((err as Error).message).toBe(`could not write ${file} (${file}: permission denied); ${file} and the earlier results are intact`);
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a folder where the file should go, and a file where the folder should be, are said as such', async () => {
    const asFolder = join(dir, 'table1.csv');
    await fsp.mkdir(asFolder);
    expect(() => writeFileAtomicSync(asFolder, 'x')).toThrow(`could not write ${asFolder} (${asFolder} is a folder; a file was expected there); ${asFolder} and the earlier results are intact`);
    const blocker = join(dir, 'not-a-folder');
    writeFileSync(blocker, 'x');
    await expect(writeFileAtomic(join(blocker, 'summary.json'), 'x')).rejects.toThrow(/^could not write .*not-a-folder\/summary\.json \(.*not-a-folder(\/summary\.json)?(: a part of this path is a file| is a file); a folder was expected there\)/);
  });

  it('a process killed in the middle of writing leaves the earlier file, whole', async () => {
    const file = join(dir, 'features.csv');
    const earlier = 'source,target\n' + 'a,b\n'.repeat(1000);
    writeFileSync(file, earlier);
    // A child that writes 64 MB through the helper, slowly (a hooked fs), and is SIGKILLed once it has started.
    const script = `
      import * as fsp from 'node:fs/promises';
      import { writeFileAtomic } from ${JSON.stringify(join(ROOT, 'src/lib/util/atomic-write.node.ts'))};
      const fs = { ...fsp, async open(p, f) { const fh = await fsp.open(p, f); return { async writeFile(d) {
        for (let i = 0; i < d.byteLength; i += 1 << 20) { await fh.write(d.subarray(i, i + (1 << 20))); if (i === 4 << 20) process.stderr.write('writing\\n'); await new Promise((r) => setTimeout(r, 20)); }
      }, sync: () => fh.sync(), close: () => fh.close() }; } };
      await writeFileAtomic(${JSON.stringify(file)}, new Uint8Array(64 << 20).fill(65), { fs });
      process.stderr.write('finished\\n');`;
    const scriptFile = join(dir, 'writer.mts');
    writeFileSync(scriptFile, script);
    const result = await new Promise<{ signal: NodeJS.Signals | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', scriptFile], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (b: Buffer) => {
        stderr += b.toString();
        if (stderr.includes('writing')) child.kill('SIGKILL');
      });
      child.on('error', reject);
      child.on('close', (_code, signal) => resolve({ signal, stderr }));
    });
    expect(result.signal).toBe('SIGKILL');
    expect(result.stderr).not.toContain('finished');
    expect(readFileSync(file, 'utf8')).toBe(earlier);
    // What the killed writer left is a dot-file named .tmp, which no reader takes for an output.
    expect(readdirSync(dir).filter((f) => f.startsWith('.features.csv.') && f.endsWith('.tmp'))).toHaveLength(1);
  });
});

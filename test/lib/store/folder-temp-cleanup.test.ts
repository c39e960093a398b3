import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openFolderStore } from '../../../src/lib/store/folder.node';

const dir = mkdtempSync(join(tmpdir(), 'folder-tmp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("start-up clean-up removes a dead writer's temporary file and keeps a live one's", async () => {
  const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
  mkdirSync(join(dir, 'runs'), { recursive: true });
  const live = join(dir, 'runs', `.a.rec.${process.pid}-1.tmp`);
  const stale = join(dir, 'runs', `.b.rec.${dead}-1.tmp`);
  writeFileSync(live, 'x');
  writeFileSync(stale, 'x');
  const store = await openFolderStore(dir);
  await store.close();
  expect(existsSync(live)).toBe(true);
  expect(existsSync(stale)).toBe(false);
});

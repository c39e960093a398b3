import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findCircles, importSpecifiers, readImportGraph, tangles, type ImportGraph } from './helpers/import-graph';

const ROOT = resolve(import.meta.dirname, '..');

describe('the source tree', () => {
  it('has no import circle under src/ (type-only imports included)', () => {
    const graph = readImportGraph(join(ROOT, 'src'), ROOT);
    // The graph is not empty and does see the pipeline's edges: a reader that found nothing would pass.
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get('src/lib/pipeline/runner.ts')).toContain('src/lib/pipeline/types.ts');
    const circles = findCircles(graph).map((circle) => circle.join(' → '));
    expect(circles, `import circles:\n${circles.join('\n')}`).toEqual([]);
  });

  it('has no import circle through scripts/ and test/ either', () => {
    const graph = new Map([...readImportGraph(join(ROOT, 'src'), ROOT), ...readImportGraph(join(ROOT, 'scripts'), ROOT), ...readImportGraph(join(ROOT, 'test'), ROOT)]);
    expect(graph.get('test/import-circles.test.ts')).toContain('test/helpers/import-graph.ts');
    const circles = findCircles(graph).map((circle) => circle.join(' → '));
    expect(circles, `import circles:\n${circles.join('\n')}`).toEqual([]);
  });

  it('imports each name from the module that declares it: no index.ts barrel', () => {
    const graph = readImportGraph(join(ROOT, 'src'), ROOT);
    expect([...graph.keys()].filter((path) => /(^|\/)index\.ts$/.test(path))).toEqual([]);
  });

  it('keeps the pipeline\'s types module a leaf of the pipeline (only the contract\'s type module)', () => {
    const graph = readImportGraph(join(ROOT, 'src'), ROOT);
    const pipelineImports = graph.get('src/lib/pipeline/types.ts')!.filter((path) => path.startsWith('src/lib/pipeline/'));
    expect(pipelineImports).toEqual(['src/lib/pipeline/spec-types.ts']);
  });
});

describe('findCircles', () => {
  const graphOf = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges));

  it('finds none in a tree-shaped graph', () => {
    expect(findCircles(graphOf({ a: ['b', 'c'], b: ['c'], c: [] }))).toEqual([]);
  });

  it('names the files of a circle as a closed path', () => {
    const graph = graphOf({ a: ['b'], b: ['c'], c: ['a', 'd'], d: [] });
    expect(findCircles(graph)).toEqual([['a', 'b', 'c', 'a']]);
    expect(tangles(graph)).toEqual([['a', 'b', 'c']]);
  });

  it('gives one circle per tangle, the shortest through its first file', () => {
    const graph = graphOf({ a: ['b', 'x'], b: ['a'], x: ['y'], y: ['z', 'a'], z: ['x'] });
    // a, b, x, y, z all reach one another: one tangle; the shortest circle through a is a → b → a.
    expect(tangles(graph)).toEqual([['a', 'b', 'x', 'y', 'z']]);
    expect(findCircles(graph)).toEqual([['a', 'b', 'a']]);
    const two = graphOf({ a: ['b'], b: ['a'], p: ['q'], q: ['p'] });
    expect(findCircles(two)).toEqual([['a', 'b', 'a'], ['p', 'q', 'p']]);
  });

  it('counts a file that imports itself', () => {
    expect(findCircles(graphOf({ a: ['a'] }))).toEqual([['a', 'a']]);
  });
});

describe('readImportGraph', () => {
  const dir = mkdtempSync(join(tmpdir(), 'import-graph-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };

  it('reads import, import type, export-from, side-effect, dynamic and Svelte imports; skips packages and comments', () => {
    write('a.ts', "import type { B } from './b';\nimport * as tf from '@tensorflow/tfjs';\n// import { z } from './z';\n");
    write('b.ts', "export { c } from './lib';\n/* import './a'; */\n");
    write('lib/index.ts', "export const c = 1;\nimport './side.ts';\n");
    write('lib/side.ts', "const m = () => import('../View.svelte');\n");
    write('View.svelte', "<script lang=\"ts\">\n  import {\n    a,\n  } from './a';\n</script>\n");
    const graph = readImportGraph(dir, dir);
    expect(Object.fromEntries(graph)).toEqual({
      'a.ts': ['b.ts'],
      'b.ts': ['lib/index.ts'],
      'lib/index.ts': ['lib/side.ts'],
      'lib/side.ts': ['View.svelte'],
      'View.svelte': ['a.ts'],
    });
    expect(findCircles(graph)).toEqual([['View.svelte', 'a.ts', 'b.ts', 'lib/index.ts', 'lib/side.ts', 'View.svelte']]);
  });

  it('keeps only relative specifiers', () => {
    expect(importSpecifiers("import x from 'vitest';\nexport * from \"./y\";\nimport type { Z } from '../z.ts';")).toEqual(['./y', '../z.ts']);
  });
});

import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The import graph of a source tree, read as text: every `import … from '…'`, `import '…'`,
 * `export … from '…'` and `import('…')` with a relative specifier, type-only ones included
 * (a circle carried by types still ties the files together for a reader and for a refactor).
 * Package imports are left out: only the project's own files are nodes.
 */
export type ImportGraph = Map<string, string[]>;

const SOURCE_EXTENSIONS = ['.ts', '.svelte'];

// `from '…'` after import/export, bare `import '…'`, and `import('…')`.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)(['"])([^'"\n]+)\1/g;

/** The relative specifiers one file imports, in order of appearance. */
export function importSpecifiers(text: string): string[] {
  const withoutComments = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  const found: string[] = [];
  for (const match of withoutComments.matchAll(SPECIFIER)) {
    const specifier = match[2];
    if (specifier.startsWith('.')) found.push(specifier);
  }
  return found;
}

function listSources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listSources(path));
    else if (SOURCE_EXTENSIONS.some((ext) => entry.name.endsWith(ext)) && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Resolves `./x`, `./x.ts`, `./x/index.ts` the way the bundler does; undefined when not a source file. */
function resolveSpecifier(fromFile: string, specifier: string): string | undefined {
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [base, ...SOURCE_EXTENSIONS.map((ext) => base + ext), ...SOURCE_EXTENSIONS.map((ext) => join(base, 'index' + ext))];
  return candidates.find((path) => existsSync(path) && statSync(path).isFile() && SOURCE_EXTENSIONS.some((ext) => path.endsWith(ext)));
}

/** The graph of every .ts/.svelte file under `root`, keyed by path relative to `relativeTo`. */
export function readImportGraph(root: string, relativeTo: string): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const file of listSources(root)) {
    const targets = importSpecifiers(readFileSync(file, 'utf8'))
      .map((specifier) => resolveSpecifier(file, specifier))
      .filter((path): path is string => path !== undefined)
      .map((path) => relative(relativeTo, path));
    graph.set(relative(relativeTo, file), [...new Set(targets)]);
  }
  return graph;
}

/**
 * One circle per tangle of the graph (a strongly connected component with more than one file, or a
 * file that imports itself), given as a shortest closed path through it, e.g. [a, b, c, a].
 */
export function findCircles(graph: ImportGraph): string[][] {
  return tangles(graph).map((component) => closedPath(graph, new Set(component)));
}

/** The strongly connected components that hold a circle (the files that all reach one another). Tarjan's algorithm. */
export function tangles(graph: ImportGraph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];

  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      const selfImport = (graph.get(node) ?? []).includes(node);
      if (component.length > 1 || selfImport) components.push(component);
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return components.map((component) => component.sort());
}

/** A shortest closed path through one component, starting from its first file by name. */
function closedPath(graph: ImportGraph, component: Set<string>): string[] {
  const start = [...component].sort()[0];
  // Breadth-first from start's successors back to start, staying inside the component.
  const previous = new Map<string, string>();
  const queue: string[] = [];
  for (const next of graph.get(start) ?? []) {
    if (!component.has(next) || previous.has(next)) continue;
    previous.set(next, start);
    queue.push(next);
  }
  while (queue.length > 0 && !previous.has(start)) {
    const node = queue.shift()!;
    for (const next of graph.get(node) ?? []) {
      if (!component.has(next) || previous.has(next)) continue;
      previous.set(next, node);
      queue.push(next);
    }
  }
  const path = [start];
  for (let node = previous.get(start)!; node !== start; node = previous.get(node)!) path.unshift(node);
  path.unshift(start);
  return path;
}

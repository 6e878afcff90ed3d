import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The library's folders are its architecture (CONTRIBUTING.md, "Architecture"):
 * each sits in a layer and imports only from its own layer or the ones below, so
 * the arrows run one way and no import circle can form. A new folder must be
 * placed here, which is the point: its place in the architecture is a decision.
 * `import type` lines count too, except between the base folders, which only
 * share types with each other (they vanish at run time and cannot form a cycle).
 */
const LAYERS: readonly (readonly string[])[] = [
  ['two-factor-request.ts', 'entities', 'errors', 'i18n', 'secrets', 'events', 'migrations'],
  ['options'],
  ['rules'],
  ['method-api'],
  ['senders'],
  ['methods'],
  ['persistence'],
  ['translation'],
  ['confirmations'],
  ['factors'],
  ['public-api'],
  ['devices', 'enrollment'],
  ['sign-in'],
  ['admin'],
  ['maintenance'],
  ['telemetry'],
  ['http'],
  ['two-factor.module-definition.ts', 'two-factor.module.ts', 'index.ts', 'testing', 'dev'],
];

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

interface ImportEdge {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string, found: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, found);
    else if (name.endsWith('.ts') && !name.endsWith('.spec.ts')) found.push(path);
  }
  return found;
}

function importsOf(file: string): ImportEdge[] {
  const text = readFileSync(file, 'utf8');
  const edges: ImportEdge[] = [];
  for (const match of text.matchAll(/(import|export)\s+(type\s+)?[^'";]*?from\s+'(\.{1,2}\/[^']+)'|import\(\s*'(\.{1,2}\/[^']+)'\s*\)/g)) {
    const spec = match[3] ?? match[4];
    const base = resolve(dirname(file), spec);
    const target = [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')].find(
      (candidate) => existsSync(candidate) && statSync(candidate).isFile(),
    );
    if (target) edges.push({ from: file, to: target, typeOnly: Boolean(match[2]) });
  }
  return edges;
}

/** A file's top-level folder, or its own name for a file at the root of src/. */
const unitOf = (file: string): string => relative(SRC, file).split('/')[0];
const layerOf = (unit: string): number => LAYERS.findIndex((layer) => layer.includes(unit));

const files = sourceFiles(SRC);
const edges = files.flatMap(importsOf);

describe('architecture of libs/two-factor/src (no database, no adapter)', () => {
  it('places every folder and root file in a layer', () => {
    const unplaced = [...new Set(files.map(unitOf))].filter((unit) => layerOf(unit) === -1);
    expect(unplaced).toEqual([]);
  });

  it('imports only from the same layer or the layers below', () => {
    const upward = edges
      .filter((edge) => layerOf(unitOf(edge.to)) > layerOf(unitOf(edge.from)))
      .map((edge) => `${relative(SRC, edge.from)} -> ${relative(SRC, edge.to)}`);
    expect(upward).toEqual([]);
  });

  it('has no import circle between folders (base folders may share types)', () => {
    const base = new Set(LAYERS[0]);
    const graph = new Map<string, Set<string>>();
    for (const edge of edges) {
      const [from, to] = [unitOf(edge.from), unitOf(edge.to)];
      if (from === to || (edge.typeOnly && base.has(from) && base.has(to))) continue;
      graph.set(from, (graph.get(from) ?? new Set()).add(to));
    }
    expect(circles(graph)).toEqual([]);
  });

  it('has no import circle between files', () => {
    const graph = new Map<string, Set<string>>();
    for (const edge of edges) graph.set(edge.from, (graph.get(edge.from) ?? new Set()).add(edge.to));
    expect(circles(graph).map((circle) => circle.map((file) => relative(SRC, file)))).toEqual([]);
  });

  it('lets only the factor lifecycle import the factor store (the one writer of a factor), and the module that provides it', () => {
    const importers = edges.filter((edge) => relative(SRC, edge.to) === 'persistence/factor.store.ts').map((edge) => unitOf(edge.from));
    expect([...new Set(importers)].filter((unit) => unit !== 'factors' && unit !== 'two-factor.module.ts')).toEqual([]);
  });
});

/** Every strongly connected group of more than one node (Tarjan). */
function circles(graph: Map<string, Set<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== node);
    if (group.length > 1) found.push(group.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

// Every TypeScript snippet of the docs, checked (issue 19; the convention: docs/README.md, "Writing docs").
//
//   node snippets.mjs <repository> <host app folder>
//
// - A ```ts (or ```typescript) block of README.md or docs/**/*.md is a whole file: it is written to
//   <host>/snippets/src/<doc path, / as __>__<n>.ts and the lot is typechecked with the host's own
//   TypeScript (strict, skipLibCheck off) against the packages installed there: the packed package.
// - A ```ts fragment block is skipped (a deliberate fragment).
// - A block right under `<!-- snippet: samples/minimal/src/x.ts#region -->` (or `…/x.ts` for the
//   whole file) must be the region's text exactly: that code is compiled and run as part of the
//   sample, so it is not compiled again on its own.
// Prints one line per block and ends with "N passed, M failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [repo, host] = process.argv.slice(2);
if (!repo || !host) {
  console.error('usage: node snippets.mjs <repository> <host app folder>');
  process.exit(2);
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)\s*(.*)$/;
const MARKER = /^\s*<!--\s*snippet:\s*([^#\s]+)(?:#([\w.-]+))?\s*-->\s*$/;
const TYPESCRIPT = new Set(['ts', 'typescript']);

/** The documents whose snippets are checked: README.md and every Markdown file under docs/. */
function documents() {
  const found = ['README.md'];
  const walk = (folder) => {
    if (!existsSync(join(repo, folder))) return;
    for (const entry of readdirSync(join(repo, folder), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = `${folder}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) found.push(path);
    }
  };
  walk('docs');
  return found.filter((path) => existsSync(join(repo, path)));
}

/** The fenced TypeScript blocks of one document: {index, line, kind: 'file' | 'fragment', marker, text}. */
export function typescriptBlocks(markdown) {
  const lines = markdown.split('\n');
  const blocks = [];
  let index = 0;
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, language, info] = open;
    let end = i + 1;
    while (end < lines.length && !(lines[end].trim().startsWith(fence) && lines[end].trim().replace(/[`~]/g, '') === '')) end++;
    if (TYPESCRIPT.has(language.toLowerCase())) {
      index++;
      let previous = i - 1;
      while (previous >= 0 && lines[previous].trim() === '') previous--;
      const marker = previous >= 0 ? MARKER.exec(lines[previous]) : null;
      const body = lines.slice(i + 1, end).map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line.trimStart()));
      blocks.push({
        index,
        line: i + 2, // the block's first line of code, 1-based
        kind: /^fragment\b/.test(info) ? 'fragment' : 'file',
        marker: marker ? { path: marker[1], region: marker[2] } : null,
        text: body.join('\n'),
      });
    }
    i = end;
  }
  return blocks;
}

/** The text of `// #region name` … `// #endregion` in a file (or the whole file), dedented; null when missing. */
export function regionText(source, region) {
  const lines = source.split('\n');
  if (!region) return normalise(lines);
  const start = lines.findIndex((line) => new RegExp(`^\\s*//\\s*#region\\s+${escape(region)}\\s*$`).test(line));
  if (start < 0) return null;
  const end = lines.findIndex((line, n) => n > start && new RegExp(`^\\s*//\\s*#endregion(\\s+${escape(region)})?\\s*$`).test(line));
  if (end < 0) return null;
  const body = lines.slice(start + 1, end).filter((line) => !/^\s*\/\/\s*#(end)?region\b/.test(line));
  const indent = Math.min(...body.filter((line) => line.trim() !== '').map((line) => /^\s*/.exec(line)[0].length));
  return normalise(body.map((line) => line.slice(Number.isFinite(indent) ? indent : 0)));
}

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Trailing spaces and blank lines at either end do not count. */
function normalise(lines) {
  const trimmed = lines.map((line) => line.replace(/\s+$/, ''));
  while (trimmed.length > 0 && trimmed[0] === '') trimmed.shift();
  while (trimmed.length > 0 && trimmed[trimmed.length - 1] === '') trimmed.pop();
  return trimmed.join('\n');
}

/** The first line where two texts differ, for the failure message. */
function firstDifference(expected, actual) {
  const a = expected.split('\n');
  const b = actual.split('\n');
  for (let n = 0; n < Math.max(a.length, b.length); n++) {
    if (a[n] !== b[n]) return `line ${n + 1} of the block: sample has ${JSON.stringify(a[n] ?? '(end)')}, doc has ${JSON.stringify(b[n] ?? '(end)')}`;
  }
  return 'identical';
}

let passed = 0;
let failed = 0;
const ok = (what) => {
  passed++;
  console.log(`  ok   snippet ${what}`);
};
const fail = (what, why) => {
  failed++;
  console.log(`  FAIL snippet ${what}: ${why}`);
};

const project = join(host, 'snippets');
rmSync(project, { recursive: true, force: true });
mkdirSync(join(project, 'src'), { recursive: true });
/** Extracted file → the document and block it came from. */
const extracted = new Map();
let skipped = 0;

for (const doc of documents()) {
  for (const block of typescriptBlocks(readFileSync(join(repo, doc), 'utf8'))) {
    const where = `${doc}:${block.line} (block ${block.index})`;
    if (block.marker) {
      const file = join(repo, block.marker.path);
      const region = existsSync(file) ? regionText(readFileSync(file, 'utf8'), block.marker.region) : null;
      const named = `${block.marker.path}${block.marker.region ? `#${block.marker.region}` : ''}`;
      if (region === null) fail(where, `${named} not found`);
      else if (region !== normalise(block.text.split('\n')))
        fail(where, `differs from ${named}: ${firstDifference(region, normalise(block.text.split('\n')))}`);
      else ok(`${where} = ${named}`);
      continue;
    }
    if (block.kind === 'fragment') {
      skipped++;
      continue;
    }
    const name = `${doc.replace(/\//g, '__')}__${block.index}.ts`;
    writeFileSync(join(project, 'src', name), `${block.text}\n`);
    extracted.set(name, { doc, block, where });
  }
}

// Strict, skipLibCheck off, ESM as the README asks of a host; every file a module of its own.
const COMPILER_OPTIONS = {
  target: 'ES2022',
  module: 'nodenext',
  moduleResolution: 'nodenext',
  moduleDetection: 'force',
  strict: true,
  strictPropertyInitialization: false,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  useDefineForClassFields: false,
  skipLibCheck: false,
  noEmit: true,
  types: ['node'],
};
writeFileSync(join(project, 'package.json'), '{ "private": true, "type": "module" }\n');

/** One tsc run over `names`: the errors per extracted file, and any error elsewhere. */
function typecheck(names) {
  writeFileSync(
    join(project, 'tsconfig.json'),
    `${JSON.stringify({ compilerOptions: COMPILER_OPTIONS, files: names.map((name) => `src/${name}`) }, null, 2)}\n`,
  );
  const tsc = spawnSync(process.execPath, [join(host, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--pretty', 'false'], {
    cwd: project,
    encoding: 'utf8',
  });
  const errors = new Map();
  const other = [];
  for (const line of `${tsc.stdout}${tsc.stderr}`.split('\n')) {
    const match = /^src\/(.*?)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line);
    if (match && extracted.has(match[1])) {
      const { doc, block } = extracted.get(match[1]);
      errors.set(match[1], [...(errors.get(match[1]) ?? []), { code: match[4], text: `${doc}:${block.line + Number(match[2]) - 1} ${match[4]} ${match[5]}` }]);
    } else if (/error TS\d+/.test(line)) other.push(line);
  }
  return { errors, other, status: tsc.status };
}

// tsc reports no type errors at all while any file has a syntax error (TS1xxx): files that do not
// parse fail first, and the rest are checked again without them.
const failures = new Map();
let remaining = [...extracted.keys()];
let outside = [];
for (let run = 0; run < 3 && remaining.length > 0; run++) {
  const { errors, other, status } = typecheck(remaining);
  outside = other;
  for (const [name, found] of errors) failures.set(name, found);
  remaining = remaining.filter((name) => !errors.has(name));
  if (status !== 0 && errors.size === 0 && other.length === 0) outside = [`tsc exited with ${status}`];
  const syntaxOnly = errors.size > 0 && [...errors.values()].flat().every((error) => /^TS1\d{3}$/.test(error.code));
  if (!syntaxOnly) break;
}
for (const [name, { where }] of extracted) {
  const found = failures.get(name);
  if (found) fail(where, `${found.length} error(s):\n         ${found.map((error) => error.text).join('\n         ')}`);
  else ok(where);
}
if (outside.length > 0) fail('typecheck outside the snippets', outside.join('\n'));
console.log(`snippets: ${extracted.size} compiled, ${skipped} fragments skipped`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

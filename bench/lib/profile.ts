import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  file?: string;
  text: string;
  busyMs: number;
  topFunctions: Array<{ name: string; where: string; ms: number; percent: number }>;
  byPackage: Array<{ name: string; ms: number; percent: number }>;
  /** Percent of busy time in MODULE_OWNED: what issue 25's bound takes out (docs/operations/benchmarks.md). */
  moduleShare: number;
  /** Requests the server answered while the profile ran, when the caller knows: the per-request figures divide by it. */
  requests?: number;
}

/**
 * What a missed target's bound counts as the module's own cost: its code and the validation libraries its DTOs
 * run. bound = measured ÷ (1 − share): the most the round could reach if all of that cost nothing.
 */
export const MODULE_OWNED: readonly string[] = ['two-factor module', 'class-transformer', 'class-validator'];

/** Where a frame comes from: a package under node_modules, node's own code, the module, the demo, or V8. */
function owner(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  // Before the packages: installed in a host, the module is a package too.
  if (url.includes('/libs/two-factor/dist/') || url.includes('/node_modules/nestjs-two-factor/')) return 'two-factor module';
  const nm = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (nm) return nm[1];
  if (url.startsWith('node:')) return 'node:internal';
  if (url.includes('/dist/src/')) return 'demo app';
  return url;
}

/** Self time by function and by package, from a `.cpuprofile` written by `node --cpu-prof`. */
export function readProfile(file: string, top = 15, requests?: number): ProfileSummary {
  return { ...summarizeCpuProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, top, requests), file };
}

/**
 * Self time by function and by package of a parsed profile (idle time left out). With `requests` (the requests
 * answered while it ran) each line also says its µs per request, so two adapters or two builds compare directly.
 */
export function summarizeCpuProfile(profile: CpuProfile, top = 15, requests?: number): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + delta);
  }
  const functions = new Map<string, { name: string; where: string; us: number }>();
  const packages = new Map<string, number>();
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    const { callFrame } = byId.get(id)!;
    if (callFrame.functionName === '(idle)') continue;
    busyUs += us;
    const where = callFrame.url ? `${callFrame.url.replace(/^file:\/\/.*?\/(node_modules|dist)\//, '$1/')}:${callFrame.lineNumber + 1}` : '';
    const key = `${callFrame.functionName}@${where}`;
    const entry = functions.get(key) ?? { name: callFrame.functionName || '(anonymous)', where, us: 0 };
    entry.us += us;
    functions.set(key, entry);
    const pkg = owner(callFrame.url, callFrame.functionName);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
  }
  const pct = (us: number) => (100 * us) / busyUs;
  const moduleUs = MODULE_OWNED.reduce((sum, name) => sum + (packages.get(name) ?? 0), 0);
  const moduleShare = pct(moduleUs);
  const perRequest = requests ? (us: number) => `  ${(us / requests).toFixed(1).padStart(6)} µs/req` : () => '';
  const topFunctions = [...functions.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, top)
    .map((f) => ({ name: f.name, where: f.where, ms: f.us / 1000, percent: pct(f.us) }));
  const byPackage = [...packages.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([name, us]) => ({ name, ms: us / 1000, percent: pct(us) }));
  const text = [
    `busy (non-idle) time: ${(busyUs / 1000).toFixed(0)} ms${requests ? `, ${(busyUs / requests).toFixed(0)} µs per request (${requests} requests)` : ''}`,
    `the module's share (${MODULE_OWNED.join(', ')}): ${moduleShare.toFixed(1)}%${perRequest(moduleUs)}; bound = measured × ${(1 / (1 - moduleShare / 100)).toFixed(3)}`,
    'self time by package:',
    ...byPackage.map((p) => `  ${p.percent.toFixed(1).padStart(5)}%${perRequest(p.ms * 1000)}  ${p.name}`),
    `top ${top} functions by self time:`,
    ...topFunctions.map((f) => `  ${f.percent.toFixed(1).padStart(5)}%${perRequest(f.ms * 1000)}  ${f.name}  ${f.where}`),
  ].join('\n');
  return { text, busyMs: busyUs / 1000, topFunctions, byPackage, moduleShare, ...(requests ? { requests } : {}) };
}

/** The newest profile that process `pid` wrote into `dir`, summarised; null when there is none. */
export function summarizeProfile(dir: string, pid: number): ProfileSummary | null {
  let files: string[];
  try {
    files = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile') && name.includes(`.${pid}.`));
  } catch {
    return null;
  }
  const newest = files.map((name) => join(dir, name)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  return newest ? readProfile(newest) : null;
}

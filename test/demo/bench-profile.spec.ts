import { MODULE_OWNED, summarizeCpuProfile, type CpuProfile } from '../../bench/lib/profile.js';

/**
 * Issue 25's rule for a missed target: bound = measured ÷ (1 − the module's share of the server's busy
 * time), the module's share being its code with class-transformer and class-validator. The bench prints
 * that share and, per request of the round, what each package cost; the notes' bounds come from it.
 */
describe('the bench’s profile summary', () => {
  // One node per owner; self time by sample, each sample 1000 µs (timeDeltas[i + 1] belongs to samples[i]).
  const frames = [
    { id: 1, callFrame: { functionName: '(idle)', url: '', lineNumber: 0 } },
    // The module built in this repository, and installed as a package in a host.
    { id: 2, callFrame: { functionName: 'confirm', url: 'file:///work/libs/two-factor/dist/confirmations/answer.judge.js', lineNumber: 50 } },
    { id: 7, callFrame: { functionName: 'bind', url: 'file:///app/node_modules/nestjs-two-factor/dist/confirmations/backend-binder.js', lineNumber: 46 } },
    { id: 3, callFrame: { functionName: 'validate', url: 'file:///app/node_modules/class-validator/cjs/validation/ValidationExecutor.js', lineNumber: 9 } },
    {
      id: 4,
      callFrame: { functionName: 'plainToInstance', url: 'file:///app/node_modules/class-transformer/cjs/TransformOperationExecutor.js', lineNumber: 9 },
    },
    { id: 5, callFrame: { functionName: 'route', url: 'file:///app/node_modules/fastify/lib/route.js', lineNumber: 9 } },
    { id: 6, callFrame: { functionName: 'all', url: '', lineNumber: 0 } },
  ];
  // idle 10, module 2 + 1, class-validator 1, class-transformer 1, fastify 4, native 1: busy 10 ms, the module's 5.
  const samples = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 7, 3, 4, 5, 5, 5, 5, 6];
  const profile: CpuProfile = {
    nodes: frames,
    samples,
    timeDeltas: [0, ...samples.map(() => 1000)],
    startTime: 0,
    endTime: samples.length * 1000,
  };

  it('counts the module, class-transformer and class-validator as the module’s share of busy time, idle left out', () => {
    const summary = summarizeCpuProfile(profile, 10);
    expect(MODULE_OWNED).toEqual(['two-factor module', 'class-transformer', 'class-validator']);
    expect(summary.busyMs).toBe(10);
    expect(summary.moduleShare).toBeCloseTo(50, 6);
    expect(summary.byPackage).toContainEqual({ name: 'two-factor module', ms: 3, percent: 30 });
    expect(summary.text).toContain(`the module's share (two-factor module, class-transformer, class-validator): 50.0%; bound = measured × 2.000`);
    expect(summary.requests).toBeUndefined();
    expect(summary.text).not.toContain('µs/req');
  });

  it('says each package’s and function’s µs per request when it knows the round’s requests', () => {
    const summary = summarizeCpuProfile(profile, 10, 4);
    expect(summary.requests).toBe(4);
    expect(summary.text).toContain('busy (non-idle) time: 10 ms, 2500 µs per request (4 requests)');
    expect(summary.text).toMatch(/: 50\.0% +1250\.0 µs\/req; bound = measured × 2\.000\n/);
    expect(summary.text).toMatch(/ 40\.0% +1000\.0 µs\/req {2}fastify\n/);
    expect(summary.text).toMatch(/ 30\.0% +750\.0 µs\/req {2}two-factor module\n/);
    expect(summary.text).toMatch(/ 20\.0% +500\.0 µs\/req {2}confirm {2}dist\/confirmations\/answer\.judge\.js:51\n/);
  });
});

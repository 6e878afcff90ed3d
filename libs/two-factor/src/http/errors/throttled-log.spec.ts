import { ThrottledLog } from './throttled-log.js';

describe('ThrottledLog', () => {
  it('writes one line per kind per interval and says how many it held back', () => {
    let now = 1_000_000;
    const lines: string[] = [];
    const logger = { error: (line: string) => void lines.push(line) };
    const log = new ThrottledLog(10_000, () => now);
    for (let i = 0; i < 50; i++) log.error(logger, 'db', 'Database unavailable');
    log.error(logger, 'other', 'Unexpected TypeError: x');
    expect(lines).toEqual(['Database unavailable', 'Unexpected TypeError: x']);
    now += 9_999;
    expect(log.error(logger, 'db', 'Database unavailable')).toBe(false);
    now += 1;
    expect(log.error(logger, 'db', 'Database unavailable')).toBe(true);
    expect(lines[2]).toBe('Database unavailable (50 more like it in the last 10 s)');
  });
});

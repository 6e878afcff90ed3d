/**
 * `node dist/bench/profile.js <file.cpuprofile> [top] [requests]`: self time by package and by function, and
 * the module's share; with the round's request count (`serverRequests` in the results file), µs per request too.
 */
import { readProfile } from './lib/profile.js';

const [file, top, requests] = process.argv.slice(2);
if (!file) {
  console.error('usage: node dist/bench/profile.js <file.cpuprofile> [top] [requests]');
  process.exit(2);
}
console.log(readProfile(file, Number(top ?? 25), requests ? Number(requests) : undefined).text);

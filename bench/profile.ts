/** `node dist/bench/profile.js <file.cpuprofile> [top]`: self time by package and by function. */
import { readProfile } from './lib/profile.js';

const [file, top] = process.argv.slice(2);
if (!file) {
  console.error('usage: node dist/bench/profile.js <file.cpuprofile> [top]');
  process.exit(2);
}
console.log(readProfile(file, Number(top ?? 25)).text);

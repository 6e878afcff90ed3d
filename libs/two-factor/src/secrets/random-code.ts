import { randomInt } from 'node:crypto';

/** A code of `digits` decimal digits from the CSPRNG, leading zeros kept. */
export function randomDigits(digits: number): string {
  let code = '';
  for (let i = 0; i < digits; i++) code += randomInt(10).toString();
  return code;
}

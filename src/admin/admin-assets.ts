import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the page's files are: beside this module when run from source (tests),
 * or back in `src/` when run from `dist/` (tsc copies no HTML).
 */
export function adminAssetsDirectory(here: string): string {
  const candidates = [join(here, 'assets'), join(here, '..', '..', '..', 'src', 'admin', 'assets')];
  const found = candidates.find((candidate) => existsSync(join(candidate, 'admin.html')));
  if (!found) throw new Error(`The admin page's files are missing; looked in ${candidates.join(', ')}`);
  return found;
}

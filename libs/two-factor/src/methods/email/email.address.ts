/**
 * Trims and lowercases the domain. The local part keeps its case: RFC 5321
 * lets a server tell `Ann@` from `ann@`, so only the domain is safe to fold.
 */
export function normalizeEmail(raw: string): string {
  const address = raw.trim();
  const at = address.lastIndexOf('@');
  return at < 0 ? address : `${address.slice(0, at)}@${address.slice(at + 1).toLowerCase()}`;
}

/** What clients see of an address: its first character and its domain, e.g. `a***@example.com`. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return '***';
  return `${address.charAt(0)}***${address.slice(at)}`;
}

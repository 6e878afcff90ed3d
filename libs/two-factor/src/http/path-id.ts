/** Path ids are parsed strictly: anything but a positive integer is simply "not found". */
export function parseId(raw: string): number {
  return /^[1-9][0-9]{0,15}$/.test(raw) ? Number(raw) : NaN;
}

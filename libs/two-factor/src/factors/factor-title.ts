/**
 * A factor's display title, the same in every list (the sign-in's factors,
 * `two_factor_required`'s `available`, enrolment lists): the user's own title,
 * else the method config's, else the method's verbose name.
 */
export function factorTitle(userTitle: string | null | undefined, methodConfigTitle: string | null | undefined, verboseName: string): string {
  return userTitle || methodConfigTitle || verboseName;
}

/** What the host's `RecoveryNotifier` is told when a recovery starts. */
export interface RecoveryNotice {
  userId: string;
  recoveryId: string;
  /**
   * The code that cancels the recovery (`POST <sign-in path>/recovery/cancel`): send it to the
   * account's own address, in a link or as text. Shown nowhere else; never log it.
   */
  cancelCode: string;
  /** When enrolment of a new factor opens, unless someone cancels first. */
  notBefore: Date;
  /** The address the recovery was started from, when known. */
  clientIp?: string;
  /** The language of the request that started it, when known. */
  language?: string;
}

/**
 * The host's hook for recovery notices (issue 22): the module tells every email and SMS factor of
 * the user through its own senders; only the host knows the account's own email address. Provide
 * it anywhere in the app (the module finds it like a backend's dependencies):
 * `{ provide: RecoveryNotifier, useClass: MyRecoveryNotifier }`. A failing notifier is logged and
 * does not stop the recovery: the factors' channels were told.
 */
export abstract class RecoveryNotifier {
  abstract notify(notice: RecoveryNotice): Promise<void>;
}

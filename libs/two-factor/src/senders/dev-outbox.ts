/** A message the dev outbox recorded instead of sending. */
export interface OutboxMessage {
  channel: 'email' | 'sms';
  to: string;
  /** Emails only. */
  subject?: string;
  text: string;
  sentAt: Date;
}

/**
 * Keeps the last `capacity` messages in memory, for development and tests:
 * nothing leaves the process. Bounded, so a long-running dev server cannot grow
 * without limit. Never expose it in production: it holds live codes.
 */
export class DevOutbox {
  private readonly messages: OutboxMessage[] = [];

  /** @param capacity how many messages to keep; older ones are dropped. @default 1000 */
  constructor(readonly capacity = 1000) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`DevOutbox capacity must be a positive integer, got ${String(capacity)}.`);
  }

  record(message: Omit<OutboxMessage, 'sentAt'>): void {
    this.messages.push(Object.freeze({ ...message, sentAt: new Date() }));
    if (this.messages.length > this.capacity) this.messages.splice(0, this.messages.length - this.capacity);
  }

  /**
   * What was recorded, newest first; only messages to `to` when given. Addresses
   * match case-insensitively, as mail servers treat them.
   */
  list(to?: string): OutboxMessage[] {
    const wanted = to?.trim().toLowerCase();
    const newestFirst = [...this.messages].reverse();
    return wanted === undefined ? newestFirst : newestFirst.filter((message) => message.to.toLowerCase() === wanted);
  }

  clear(): void {
    this.messages.length = 0;
  }
}

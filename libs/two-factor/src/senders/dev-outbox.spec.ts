import { DevOutbox } from './dev-outbox.js';
import { DevOutboxEmailSender, DevOutboxSmsSender } from './dev-outbox.senders.js';

describe('DevOutbox', () => {
  it('lists newest first, filtered by recipient case-insensitively', async () => {
    const outbox = new DevOutbox();
    await new DevOutboxEmailSender(outbox).send({ to: 'Ann@example.com', subject: 'first', text: 'one' });
    await new DevOutboxSmsSender(outbox).send({ to: '+447400123456', text: 'two' });
    await new DevOutboxEmailSender(outbox).send({ to: 'Ann@example.com', subject: 'third', text: 'three' });

    expect(outbox.list().map((message) => message.text)).toEqual(['three', 'two', 'one']);
    expect(outbox.list(' ann@EXAMPLE.com ').map((message) => message.subject)).toEqual(['third', 'first']);
    expect(outbox.list('+447400123456')).toEqual([expect.objectContaining({ channel: 'sms', text: 'two', sentAt: expect.any(Date) })]);
    expect(outbox.list('nobody@example.com')).toEqual([]);
  });

  it('keeps only the newest `capacity` messages', () => {
    const outbox = new DevOutbox(3);
    for (let i = 1; i <= 5; i++) outbox.record({ channel: 'sms', to: '+447400123456', text: String(i) });
    expect(outbox.list().map((message) => message.text)).toEqual(['5', '4', '3']);
  });

  it('defaults to 1000 messages and refuses a capacity that is not a positive integer', () => {
    expect(new DevOutbox().capacity).toBe(1000);
    expect(() => new DevOutbox(0)).toThrow(/positive integer/);
    expect(() => new DevOutbox(1.5)).toThrow(/positive integer/);
  });

  it('hands out copies: a caller cannot rewrite what was recorded', () => {
    const outbox = new DevOutbox();
    outbox.record({ channel: 'email', to: 'a@example.com', subject: 's', text: 'kept' });
    outbox.list().pop();
    expect(() => Object.assign(outbox.list()[0], { text: 'changed' })).toThrow();
    expect(outbox.list()[0].text).toBe('kept');
  });
});

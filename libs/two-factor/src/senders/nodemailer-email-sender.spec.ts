import { jest } from '@jest/globals';
import { NodemailerEmailSender } from './nodemailer-email-sender.js';

type Mailer = { sendMail(message: Record<string, unknown>): Promise<unknown> };

describe('NodemailerEmailSender', () => {
  // nodemailer's JSON transport builds the whole message without a server, so what it built can be read back.
  it('sends plain-text mail from the configured address, or from the message’s own, over one transport', async () => {
    const sender = new NodemailerEmailSender({ transport: { jsonTransport: true }, from: 'no-reply@example.com' });
    const connect = () => (sender as unknown as { connect(): Promise<Mailer> }).connect();
    const mailer = await connect();
    const sendMail = jest.spyOn(mailer, 'sendMail');

    await sender.send({ to: 'ann@example.com', subject: 'Your code', text: 'Your code is 123456.' });
    await sender.send({ to: 'bob@example.com', subject: 'Your code', text: 'body', from: '"Shop" <shop@example.com>' });

    expect(sendMail.mock.calls[0][0]).toEqual({ from: 'no-reply@example.com', to: 'ann@example.com', subject: 'Your code', text: 'Your code is 123456.' });
    expect(sendMail.mock.calls[1][0]).toMatchObject({ from: '"Shop" <shop@example.com>', to: 'bob@example.com' });
    const built = JSON.parse(((await sendMail.mock.results[0].value) as { message: string }).message);
    expect(built).toMatchObject({
      from: { address: 'no-reply@example.com' },
      to: [{ address: 'ann@example.com' }],
      subject: 'Your code',
      text: 'Your code is 123456.',
    });
    expect(built.html).toBeUndefined();
    expect(await connect()).toBe(mailer);
  });
});

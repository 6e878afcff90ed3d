// nestjs-two-factor/dev: the dev outbox, a sender that keeps email and SMS codes in
// memory for local development and tests. Never wire it in production.
export { DevOutbox, type OutboxMessage } from '../senders/dev-outbox.js';
export { DevOutboxEmailSender, DevOutboxSmsSender } from '../senders/dev-outbox.senders.js';
export { DevOutboxModule } from '../senders/dev-outbox.module.js';

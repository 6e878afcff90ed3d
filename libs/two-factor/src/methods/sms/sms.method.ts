import { defineMethod } from '../../method-api/method-descriptor.js';
import { SmsBackend } from './sms.backend.js';
import { SmsGlobalConfigDto, SmsUserConfigDto } from './sms.dto.js';

/** Codes sent by text message. Needs an `SmsSender` provider (see `DevOutboxModule`). */
export const SMS_METHOD = defineMethod({
  key: 'sms',
  verboseName: 'SMS code',
  backend: SmsBackend,
  globalConfigDto: SmsGlobalConfigDto,
  userConfigDto: SmsUserConfigDto,
  // RFC 8176: confirmation by a text message to a registered number.
  amr: ['sms'],
});

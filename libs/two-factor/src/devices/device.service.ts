import { Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { NotFoundError } from '../errors/request.errors.js';
import { AuditTrail } from '../events/audit-trail.js';
import { TwoFactorEvent } from '../events/two-factor.events.js';
import { SecretBox } from '../secrets/secret-box.js';
import { InjectTwoFactorOptions } from '../options/two-factor.constants.js';
import { DeviceStore } from '../persistence/device.store.js';
import { PublicViewMapper } from '../public-api/public-view.mapper.js';
import type { PublicDevice } from '../public-api/public-views.js';
import type { ResolvedTwoFactorOptions } from '../options/two-factor.options.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Longer than any token this module makes: anything longer is not worth hashing. */
const MAX_TOKEN_LENGTH = 128;

/** A newly remembered device and its token, which the host hands to the device and nobody sees again. */
export interface RememberedDeviceToken {
  device: PublicDevice;
  token: string;
}

/**
 * "Remember this device": a random token held by the device skips the second
 * step until it expires or is revoked. Only the token's keyed hash is stored,
 * so a copy of the database cannot sign anybody in.
 */
@Injectable()
export class DeviceService {
  constructor(
    private readonly store: DeviceStore,
    private readonly secrets: SecretBox,
    private readonly audit: AuditTrail,
    private readonly views: PublicViewMapper,
    @InjectTwoFactorOptions() private readonly options: ResolvedTwoFactorOptions,
  ) {}

  /** Remembers a device for `userId` for `rememberDeviceSeconds`; `label` is what the user will see (a user agent). */
  async remember(userId: string, label: string | undefined, manager?: EntityManager): Promise<RememberedDeviceToken> {
    const token = `tfd_${randomBytes(32).toString('base64url')}`;
    const now = Date.now();
    const expires = new Date(now + this.options.rememberDeviceSeconds * 1000);
    const device = await this.store.insert(
      { id: randomUUID(), user_id: userId, token_hash: this.secrets.hash(token), label: (label ?? '').slice(0, 255), expires_at: expires },
      now,
      manager,
    );
    return { device: this.views.device(device), token };
  }

  /**
   * The device `token` names, if it is `userId`'s and unexpired, with its last
   * use set to now — in one statement. Null for anything else, malformed input included.
   */
  async recognise(userId: string, token: unknown): Promise<PublicDevice | null> {
    if (typeof token !== 'string' || token === '' || token.length > MAX_TOKEN_LENGTH) return null;
    const device = await this.store.touch(userId, this.secrets.hashes(token), Date.now());
    return device ? this.views.device(device) : null;
  }

  /** The user's unexpired devices, most recently used first. */
  async list(userId: string): Promise<PublicDevice[]> {
    return (await this.store.list(userId, Date.now())).map((device) => this.views.device(device));
  }

  /** Forgets one of the user's own devices. @throws NotFoundError when unknown or someone else's. */
  async revoke(userId: string, id: string, caller: { clientIp?: string } = {}): Promise<void> {
    if (!UUID.test(id) || !(await this.store.remove(userId, id.toLowerCase()))) throw new NotFoundError('Device');
    this.audit.emit(TwoFactorEvent.DeviceRevoked, { userId, clientIp: caller.clientIp, deviceId: id.toLowerCase(), count: 1 });
  }

  /** Forgets every device of the user; returns how many went. */
  async revokeAll(userId: string, caller: { clientIp?: string } = {}): Promise<number> {
    const count = await this.store.removeAll(userId);
    this.audit.emit(TwoFactorEvent.DeviceRevoked, { userId, clientIp: caller.clientIp, count });
    return count;
  }

  /** Deletes expired devices; returns how many went. */
  purgeExpired(now = Date.now()): Promise<number> {
    return this.store.purge(now);
  }
}

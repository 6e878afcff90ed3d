import { Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { SqlRunner } from '../confirmer/sql-runner.js';
import { toNumber } from '../confirmer/rows.js';
import { RememberedDevice } from '../entities/remembered-device.entity.js';
import { NotFoundError } from '../errors/request.errors.js';
import { AuditTrail } from '../events/audit-trail.js';
import { TwoFactorEvent } from '../events/two-factor.events.js';
import { SecretBox } from '../secrets/secret-box.js';
import { InjectTwoFactorOptions } from '../two-factor.constants.js';
import type { ResolvedTwoFactorOptions } from '../two-factor.options.js';

const COLUMNS = 'id, user_id, token_hash, label, created_at, last_used_at, expires_at';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Longer than any token this module makes: anything longer is not worth hashing. */
const MAX_TOKEN_LENGTH = 128;

/** Forgets every remembered device of `userId` (inside `manager`'s transaction when given): factors changed. */
export async function revokeUserDevices(sql: SqlRunner, userId: string, manager?: EntityManager): Promise<number> {
  return (await sql.rows('DELETE FROM two_factor_device WHERE user_id = ? RETURNING id', [userId], manager)).length;
}

/** The same for the user of a user config, in SQL: used where a factor locks. */
export const REVOKE_DEVICES_OF_USER_CONFIG_SQL =
  'DELETE FROM two_factor_device WHERE user_id = (SELECT u.user_id FROM two_factor_user_config u WHERE u.id = ?)';

/** A newly remembered device and its token, which the host hands to the device and nobody sees again. */
export interface RememberedDeviceToken {
  device: RememberedDevice;
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
    private readonly sql: SqlRunner,
    private readonly secrets: SecretBox,
    private readonly audit: AuditTrail,
    @InjectTwoFactorOptions() private readonly options: ResolvedTwoFactorOptions,
  ) {}

  /** Remembers a device for `userId` for `rememberDeviceSeconds`; `label` is what the user will see (a user agent). */
  async remember(userId: string, label: string | undefined, manager?: EntityManager): Promise<RememberedDeviceToken> {
    const token = `tfd_${randomBytes(32).toString('base64url')}`;
    const now = Date.now();
    const [row] = await this.sql.rows(
      `INSERT INTO two_factor_device (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
      [randomUUID(), userId, this.secrets.hash(token), (label ?? '').slice(0, 255), now, now, now + this.options.rememberDeviceSeconds * 1000],
      manager,
    );
    return { device: toDevice(row), token };
  }

  /**
   * The device `token` names, if it is `userId`'s and unexpired, with its last
   * use set to now — in one statement. Null for anything else, malformed input included.
   */
  async recognise(userId: string, token: unknown): Promise<RememberedDevice | null> {
    if (typeof token !== 'string' || token === '' || token.length > MAX_TOKEN_LENGTH) return null;
    const hashes = this.secrets.hashes(token);
    const now = Date.now();
    const [row] = await this.sql.rows(
      `UPDATE two_factor_device SET last_used_at = ? WHERE token_hash IN (${SqlRunner.list(hashes.length)}) AND user_id = ? AND expires_at > ? RETURNING ${COLUMNS}`,
      [now, ...hashes, userId, now],
    );
    return row ? toDevice(row) : null;
  }

  /** The user's unexpired devices, most recently used first. */
  async list(userId: string): Promise<RememberedDevice[]> {
    const rows = await this.sql.rows(`SELECT ${COLUMNS} FROM two_factor_device WHERE user_id = ? AND expires_at > ? ORDER BY last_used_at DESC, id`, [
      userId,
      Date.now(),
    ]);
    return rows.map(toDevice);
  }

  /** Forgets one of the user's own devices. @throws NotFoundError when unknown or someone else's. */
  async revoke(userId: string, id: string, caller: { clientIp?: string } = {}): Promise<void> {
    const rows = UUID.test(id)
      ? await this.sql.rows('DELETE FROM two_factor_device WHERE id = ? AND user_id = ? RETURNING id', [id.toLowerCase(), userId])
      : [];
    if (rows.length !== 1) throw new NotFoundError('Device');
    this.audit.emit(TwoFactorEvent.DeviceRevoked, { userId, clientIp: caller.clientIp, deviceId: String(rows[0].id), count: 1 });
  }

  /** Forgets every device of the user; returns how many went. */
  async revokeAll(userId: string, caller: { clientIp?: string } = {}): Promise<number> {
    const count = await revokeUserDevices(this.sql, userId);
    this.audit.emit(TwoFactorEvent.DeviceRevoked, { userId, clientIp: caller.clientIp, count });
    return count;
  }

  /** Deletes expired devices; returns how many went. */
  async purgeExpired(now = Date.now()): Promise<number> {
    return (await this.sql.rows('DELETE FROM two_factor_device WHERE expires_at <= ? RETURNING id', [now])).length;
  }
}

function toDevice(row: Record<string, any>): RememberedDevice {
  return Object.assign(new RememberedDevice(), {
    id: row.id,
    user_id: row.user_id,
    token_hash: row.token_hash,
    label: row.label,
    created_at: new Date(toNumber(row.created_at)),
    last_used_at: new Date(toNumber(row.last_used_at)),
    expires_at: new Date(toNumber(row.expires_at)),
  });
}

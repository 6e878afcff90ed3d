import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { toNumber, type RawRow } from './rows.js';
import { SqlRunner } from './sql-runner.js';
import { RememberedDevice } from '../entities/remembered-device.entity.js';

const COLUMN_NAMES = ['id', 'user_id', 'token_hash', 'label', 'created_at', 'last_used_at', 'expires_at'] as const;
const COLUMNS = COLUMN_NAMES.join(', ');
type DeviceRow = RawRow<(typeof COLUMN_NAMES)[number]>;

/** Every statement on remembered devices (`two_factor_device`), returning typed devices. */
@Injectable()
export class DeviceStore {
  constructor(private readonly sql: SqlRunner) {}

  async insert(device: Omit<RememberedDevice, 'created_at' | 'last_used_at'>, now: number, manager?: EntityManager): Promise<RememberedDevice> {
    const values = [device.id, device.user_id, device.token_hash, device.label, now, now, device.expires_at.getTime()];
    if (this.sql.isMysql) {
      // MySQL: every column is known, so the device is what was written.
      await this.sql.write(`INSERT INTO two_factor_device (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`, values, manager);
      return toDevice(Object.fromEntries(COLUMN_NAMES.map((column, i) => [column, values[i]])) as DeviceRow);
    }
    const [row] = await this.sql.rows<DeviceRow>(
      `INSERT INTO two_factor_device (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
      values,
      manager,
    );
    return toDevice(row);
  }

  /** The unexpired device of `userId` whose token hashes to one of `hashes`, its last use set to `now`: one statement. */
  async touch(userId: string, hashes: string[], now: number): Promise<RememberedDevice | null> {
    if (this.sql.isMysql) {
      // MySQL: the UPDATE decides and locks the device; it is read back in the same transaction.
      const where = `token_hash IN (${SqlRunner.list(hashes.length)}) AND user_id = ? AND expires_at > ?`;
      return this.sql.within(undefined, async (manager) => {
        const { affected } = await this.sql.write(`UPDATE two_factor_device SET last_used_at = ? WHERE ${where}`, [now, ...hashes, userId, now], manager);
        if (affected === 0) return null;
        const [row] = await this.sql.rows<DeviceRow>(`SELECT ${COLUMNS} FROM two_factor_device WHERE ${where}`, [...hashes, userId, now], manager);
        return row ? toDevice(row) : null;
      });
    }
    const [row] = await this.sql.rows<DeviceRow>(
      `UPDATE two_factor_device SET last_used_at = ? WHERE token_hash IN (${SqlRunner.list(hashes.length)}) AND user_id = ? AND expires_at > ? RETURNING ${COLUMNS}`,
      [now, ...hashes, userId, now],
    );
    return row ? toDevice(row) : null;
  }

  /** The user's unexpired devices, most recently used first. */
  async list(userId: string, now: number): Promise<RememberedDevice[]> {
    const rows = await this.sql.rows<DeviceRow>(
      `SELECT ${COLUMNS} FROM two_factor_device WHERE user_id = ? AND expires_at > ? ORDER BY last_used_at DESC, id`,
      [userId, now],
    );
    return rows.map(toDevice);
  }

  /** Deletes one device of the user's; false when it is unknown or someone else's. */
  async remove(userId: string, id: string): Promise<boolean> {
    return (await this.sql.matched('DELETE FROM two_factor_device WHERE id = ? AND user_id = ?', 'id', [id, userId])) === 1;
  }

  /** Deletes every device of `userId` (inside `manager`'s transaction when given); returns how many went. */
  async removeAll(userId: string, manager?: EntityManager): Promise<number> {
    return this.sql.matched('DELETE FROM two_factor_device WHERE user_id = ?', 'id', [userId], manager);
  }

  /** Deletes expired devices; returns how many went. */
  async purge(now: number): Promise<number> {
    return this.sql.matched('DELETE FROM two_factor_device WHERE expires_at <= ?', 'id', [now]);
  }
}

function toDevice(row: DeviceRow): RememberedDevice {
  return Object.assign(new RememberedDevice(), {
    id: String(row.id),
    user_id: String(row.user_id),
    token_hash: String(row.token_hash),
    label: String(row.label ?? ''),
    created_at: new Date(toNumber(row.created_at)),
    last_used_at: new Date(toNumber(row.last_used_at)),
    expires_at: new Date(toNumber(row.expires_at)),
  });
}

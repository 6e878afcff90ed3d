import type { ConfirmationState } from '../entities/confirmation-state.entity.js';
import type { MethodConfig } from '../entities/method-config.entity.js';
import type { UserConfig } from '../entities/user-config.entity.js';
import type { FailureWindow } from '../rules/failure-policy.js';
import {
  toBool,
  toCheckedState,
  toConfirmation,
  toJson,
  toNullableText,
  toNumber,
  toStatus,
  toText,
  type CHECKED_COLUMN_NAMES,
  type CheckedState,
  type ConfirmationRow,
  type RawRow,
} from './rows.js';

/** What deciding a confirmation's fate needs of its method config. */
export type MethodConfigFacts = Pick<MethodConfig, 'id' | 'method' | 'title' | 'config' | 'is_active'>;

/** What deciding a confirmation's fate needs of its user config. */
export type UserConfigFacts = Pick<UserConfig, 'id' | 'user_id' | 'status' | 'config' | 'is_active' | 'replay_guard' | 'challenge_seq'>;

/** A confirmation with everything that decides its fate, read in one SELECT. */
export interface JoinedConfirmation {
  confirmation: ConfirmationState;
  methodConfig: MethodConfigFacts;
  /** Null for a method-level confirmation. */
  userConfig: UserConfigFacts | null;
  failures: FailureWindow;
}

/** The columns of `ConfirmationStore.readJoined`: the confirmation's own, then its method config's, user config's and counter's. */
export type JoinedRow = ConfirmationRow &
  RawRow<'mc_method' | 'mc_title' | 'mc_config' | 'mc_is_active' | 'uc_id' | 'uc_user_id' | 'uc_status' | 'uc_config' | 'uc_is_active'> &
  RawRow<'uc_replay_guard' | 'uc_challenge_seq' | 'f_key' | 'f_count' | 'f_last_failed_at'>;

/** The joined row, typed: a missing user config is null, a missing counter an empty window. */
export function toJoined(row: JoinedRow): JoinedConfirmation {
  const confirmation = toConfirmation(row);
  return {
    confirmation,
    methodConfig: {
      id: confirmation.method_config_id,
      method: toText(row.mc_method),
      title: toText(row.mc_title),
      config: toJson(row.mc_config),
      is_active: toBool(row.mc_is_active),
    },
    userConfig:
      row.uc_id === null
        ? null
        : {
            id: toNumber(row.uc_id),
            user_id: toText(row.uc_user_id),
            status: toStatus(row.uc_status),
            config: toJson(row.uc_config),
            is_active: toBool(row.uc_is_active),
            replay_guard: toNumber(row.uc_replay_guard),
            challenge_seq: toNumber(row.uc_challenge_seq),
          },
    failures: { key: toNullableText(row.f_key), count: toNumber(row.f_count ?? 0), lastFailedAt: toNumber(row.f_last_failed_at ?? 0) },
  };
}

/** A confirmation with what `check` asks of its configs (ConfirmationStore.readForCheck). */
export interface CheckedConfirmation {
  confirmation: CheckedState;
  methodConfig: Pick<MethodConfig, 'method' | 'is_active'>;
  /** Null for a method-level confirmation. */
  userConfig: Pick<UserConfig, 'status' | 'is_active'> | null;
}

/** The columns of `ConfirmationStore.readForCheck`. */
export type CheckedRow = RawRow<(typeof CHECKED_COLUMN_NAMES)[number] | 'mc_method' | 'mc_is_active' | 'uc_id' | 'uc_status' | 'uc_is_active'>;

export function toChecked(row: CheckedRow): CheckedConfirmation {
  return {
    confirmation: toCheckedState(row),
    methodConfig: { method: toText(row.mc_method), is_active: toBool(row.mc_is_active) },
    userConfig: row.uc_id === null ? null : { status: toStatus(row.uc_status), is_active: toBool(row.uc_is_active) },
  };
}

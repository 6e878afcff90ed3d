import type { BoundBackend } from '../confirmations/confirmer.types.js';
import type { MethodConfig } from '../entities/method-config.entity.js';
import { Status } from '../entities/status.js';
import type { UserConfig } from '../entities/user-config.entity.js';

/**
 * A user's factor as it may be shown to the user: what `UserConfigService`
 * returns to host code. `config` is the backend's public view (a masked address,
 * a credential's name) — never the stored config with its seed, hashes or codes —
 * and the method config is named, never its global config.
 */
export interface PublicFactor {
  id: number;
  title: string;
  /** The name the user gave the factor: its `title`, or null when blank. */
  nickname: string | null;
  status: Status;
  method_config_id: number;
  method_config: Pick<MethodConfig, 'id' | 'title' | 'method' | 'is_default' | 'is_active'>;
  /** The backend's public view of the factor's config. */
  config: Record<string, unknown>;
  is_active: boolean;
  is_default: boolean;
  /** Confirmed, active, of an active method config: it can prove a sign-in or a step-up now. */
  is_available: boolean;
  created_at: Date;
  updated_at: Date;
  /** Its last right answer (a sign-in, a step-up, its enrolment's proof); null when never. */
  last_used_at: Date | null;
}

/** The public view of `item`, of `methodConfig`, through its bound backend. */
export function toPublicFactor(item: UserConfig, methodConfig: MethodConfig, bound: BoundBackend): PublicFactor {
  return {
    id: item.id,
    title: item.title,
    nickname: item.title || null,
    status: item.status,
    method_config_id: item.method_config_id,
    method_config: {
      id: methodConfig.id,
      title: methodConfig.title,
      method: methodConfig.method,
      is_default: methodConfig.is_default,
      is_active: methodConfig.is_active,
    },
    config: bound.backend.publicConfig(item.config, bound.context),
    is_active: item.is_active,
    is_default: item.is_default,
    is_available: item.status === Status.Confirmed && item.is_active && methodConfig.is_active,
    created_at: item.created_at,
    updated_at: item.updated_at,
    last_used_at: item.last_used_at ?? null,
  };
}

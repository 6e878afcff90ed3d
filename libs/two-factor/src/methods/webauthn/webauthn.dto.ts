import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';

/** A bare host name (no scheme, port or path): what an RP id must be (WebAuthn §5.1.1 "RP ID"). */
const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** An origin as browsers write it in clientDataJSON: scheme, host and optional port, nothing else. */
const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:[0-9]{1,5})?$/;

export const USER_VERIFICATION_POLICIES = ['preferred', 'required'] as const;
export type UserVerificationPolicy = (typeof USER_VERIFICATION_POLICIES)[number];

/** `none` keeps no attestation (nothing to trust without a metadata service); `direct` keeps the statement's format. */
export const ATTESTATION_KINDS = ['none', 'direct'] as const;
export const RESIDENT_KEY_POLICIES = ['discouraged', 'preferred', 'required'] as const;

/** Global config of a WebAuthn method config (admin-only): the relying party and its ceremony policy. */
export class WebAuthnGlobalConfigDto {
  /** The relying-party id: the site's registrable domain or a host below it (e.g. `example.com`, `localhost`). */
  @ApiProperty({ description: 'Relying-party id: the domain credentials are scoped to.', example: 'example.com' })
  @IsString()
  @Matches(HOST_NAME, { message: 'rp_id must be a lower-case host name without scheme, port or path' })
  rp_id!: string;

  /** Shown by the browser and the authenticator. @default 'two-factor demo' */
  @ApiProperty({ description: 'Relying-party name shown by browsers and authenticators.', example: 'two-factor demo', default: 'two-factor demo' })
  @IsString()
  @Length(1, 64)
  rp_name: string = 'two-factor demo';

  /** Every origin the app's pages run on; a response from any other origin is refused (phishing resistance). */
  @ApiProperty({ description: 'Origins allowed in clientDataJSON (scheme://host[:port]).', example: ['https://example.com'], type: [String] })
  @IsString({ each: true })
  @Matches(ORIGIN, { each: true, message: 'each origin must be scheme://host[:port], lower case, without a path' })
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  origins!: string[];

  /** `required` refuses responses without user verification (PIN, biometrics). @default 'preferred' */
  @ApiProperty({
    description: 'User verification: `preferred` asks for it, `required` refuses responses without it.',
    enum: USER_VERIFICATION_POLICIES,
    default: 'preferred',
  })
  @IsIn(USER_VERIFICATION_POLICIES)
  user_verification: UserVerificationPolicy = 'preferred';

  /** @default 'none' */
  @ApiProperty({ description: 'Attestation conveyance asked for at registration.', enum: ATTESTATION_KINDS, default: 'none' })
  @IsIn(ATTESTATION_KINDS)
  attestation: (typeof ATTESTATION_KINDS)[number] = 'none';

  /** `preferred` lets the authenticator make a passkey (a discoverable credential). @default 'preferred' */
  @ApiProperty({
    description: 'Whether the authenticator should make a discoverable credential (a passkey).',
    enum: RESIDENT_KEY_POLICIES,
    default: 'preferred',
  })
  @IsIn(RESIDENT_KEY_POLICIES)
  resident_key: (typeof RESIDENT_KEY_POLICIES)[number] = 'preferred';

  /** How long the browser waits for the user, and how long the challenge lives. @default 300 */
  @ApiProperty({ description: 'Ceremony timeout in seconds; also the lifetime of the challenge.', minimum: 30, maximum: 600, default: 300 })
  @IsInt()
  @Min(30)
  @Max(600)
  timeout_seconds: number = 300;
}

/** What a user submits to enrol an authenticator (or, on update, to rename it). */
export class WebAuthnUserConfigDto {
  /** A name for the authenticator, e.g. "YubiKey" or "Laptop". @default 'Security key' */
  @ApiPropertyOptional({ description: 'A name for this authenticator.', example: 'YubiKey 5' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  label?: string;
}

/** A registered credential: public data only, the authenticator keeps the private key. */
export interface WebAuthnCredentialRecord {
  /** Credential id, base64url. */
  id: string;
  /** COSE public key, base64url. */
  public_key: string;
  transports: string[];
  aaguid: string;
  backed_up: boolean;
  device_type: 'singleDevice' | 'multiDevice';
  /** Attestation format (`none` unless `attestation: direct`). */
  attestation_format: string;
  registered_at: string;
  last_used_at: string | null;
}

/**
 * What is stored for a WebAuthn user config. Until the registration is proven
 * it holds the creation options (with their challenge); afterwards the
 * credential. Its sign counter lives in the user config's `replay_guard`, where
 * the confirmer claims it atomically.
 */
export interface WebAuthnStoredConfig {
  label: string;
  registration?: { challenge: string; options: Record<string, unknown> };
  credential?: WebAuthnCredentialRecord;
}

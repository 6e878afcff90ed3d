import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

/** What a test may vary in one ceremony: the browser's origin, the rp id hash, the flags, the counter. */
export interface CeremonyOverrides {
  origin?: string;
  rpId?: string;
  /** The UV flag. @default the authenticator's `userVerified` */
  userVerified?: boolean;
  /** The sign counter to report instead of the next one. */
  counter?: number;
  /** Answer another challenge than the options'. */
  challenge?: string;
}

export interface SoftAuthenticatorOptions {
  /** The page's origin, as a browser writes it into clientDataJSON. */
  origin: string;
  /** @default the rp id of the options */
  rpId?: string;
  /** @default true */
  userVerified?: boolean;
  /** Reports counter 0 forever, as many passkey providers do. @default false */
  noCounter?: boolean;
  transports?: string[];
}

const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest();

/**
 * A software WebAuthn authenticator with a real P-256 key: it answers creation
 * options with a `none` attestation and request options with a signed
 * assertion, in the JSON shape `@simplewebauthn/browser` sends. For server-side
 * tests of WebAuthn flows without a browser.
 * @example
 * const key = new SoftAuthenticator({ origin: 'http://localhost:3000' });
 * const data = key.register(created.body.enrollment.creation_options);
 */
export class SoftAuthenticator {
  readonly credentialId = randomBytes(16);
  private readonly keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  /** The last counter reported. */
  counter = 0;

  constructor(private readonly options: SoftAuthenticatorOptions) {}

  /** The credential id, base64url, as servers store it. */
  get id(): string {
    return b64url(this.credentialId);
  }

  /** Answers `navigator.credentials.create()` options (the JSON form). */
  register(creation: Record<string, any>, overrides: CeremonyOverrides = {}): Record<string, unknown> {
    const rpId = overrides.rpId ?? this.options.rpId ?? creation.rp?.id;
    const clientData = this.clientData('webauthn.create', overrides.challenge ?? creation.challenge, overrides);
    const jwk = this.keys.publicKey.export({ format: 'jwk' });
    const coseKey = new Map<number, number | Uint8Array>([
      [1, 2], // kty: EC2
      [3, -7], // alg: ES256
      [-1, 1], // crv: P-256
      [-2, new Uint8Array(Buffer.from(jwk.x!, 'base64url'))],
      [-3, new Uint8Array(Buffer.from(jwk.y!, 'base64url'))],
    ]);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const counter = this.nextCounter(overrides);
    const authData = Buffer.concat([this.head(rpId, AT, counter, overrides), Buffer.alloc(16), idLength, this.credentialId, isoCBOR.encode(coseKey)]);
    const attestationObject = isoCBOR.encode(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', new Uint8Array(authData)],
      ]) as never,
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: { clientDataJSON: b64url(clientData), attestationObject: b64url(attestationObject), transports: this.options.transports ?? ['usb'] },
      clientExtensionResults: {},
    };
  }

  /** Answers `navigator.credentials.get()` options (the JSON form) with a signature over authenticator data and the client data hash. */
  assert(request: Record<string, any>, overrides: CeremonyOverrides = {}): Record<string, unknown> {
    const rpId = overrides.rpId ?? this.options.rpId ?? request.rpId;
    const clientData = this.clientData('webauthn.get', overrides.challenge ?? request.challenge, overrides);
    const authData = this.head(rpId, 0, this.nextCounter(overrides), overrides);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientData)]), this.keys.privateKey);
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: { clientDataJSON: b64url(clientData), authenticatorData: b64url(authData), signature: b64url(signature) },
      clientExtensionResults: {},
    };
  }

  private nextCounter(overrides: CeremonyOverrides): number {
    if (overrides.counter !== undefined) return (this.counter = overrides.counter);
    return this.options.noCounter ? 0 : ++this.counter;
  }

  private clientData(type: string, challenge: string, overrides: CeremonyOverrides): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin: overrides.origin ?? this.options.origin, crossOrigin: false }), 'utf8');
  }

  /** rpIdHash ‖ flags ‖ signCount (WebAuthn §6.1). */
  private head(rpId: string, extraFlags: number, counter: number, overrides: CeremonyOverrides): Buffer {
    const verified = overrides.userVerified ?? this.options.userVerified ?? true;
    const counterBytes = Buffer.alloc(4);
    counterBytes.writeUInt32BE(counter);
    return Buffer.concat([sha256(rpId), Buffer.from([UP | (verified ? UV : 0) | extraFlags]), counterBytes]);
  }
}

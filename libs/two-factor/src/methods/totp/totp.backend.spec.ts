import { ScureBase32Plugin } from 'otplib';
import type { BackendContext } from '../../method-api/backend.js';
import { validateDto } from '../../method-api/validate-dto.js';
import { ValidationFailedError } from '../../errors/request.errors.js';
import { SecretBox } from '../../secrets/secret-box.js';
import { hotp, timeStep } from './totp.algorithm.js';
import { TotpBackend } from './totp.backend.js';
import { TotpGlobalConfigDto, TotpUserConfigDto, type TotpStoredConfig } from './totp.dto.js';
import { createTestBackendContext } from '../../testing/test-backend-context.js';
import { TOTP_METHOD } from './totp.method.js';

/** The backend with its clock pinned, so steps around T can be tested exactly. */
class PinnedTotpBackend extends TotpBackend {
  nowMs = Date.UTC(2030, 0, 1, 12, 0, 10);
  protected override now(): number {
    return this.nowMs;
  }
}

const secrets = new SecretBox('unit-test-secret-unit-test-secret-0123456789');
const base32 = new ScureBase32Plugin();

function contextFor(
  global: Partial<TotpGlobalConfigDto> = {},
  stored?: TotpStoredConfig,
  replayGuard = 0,
): BackendContext<TotpGlobalConfigDto, TotpStoredConfig> {
  return createTestBackendContext(TOTP_METHOD, { global, stored, replayGuard, secrets });
}

async function enrolled(global: Partial<TotpGlobalConfigDto> = {}) {
  const backend = new PinnedTotpBackend();
  const change = await backend.changeUserConfig({}, undefined, contextFor(global));
  const seed = new Uint8Array(Buffer.from(secrets.decrypt(change.config.seed), 'hex'));
  const step = timeStep(backend.nowMs, 30);
  const codeAt = (s: number) => hotp(seed, s, change.config);
  const confirm = (code: unknown, replayGuard = 0) => backend.confirm({}, { code }, contextFor(global, change.config, replayGuard));
  return { backend, change, seed, step, codeAt, confirm };
}

describe('TotpBackend enrolment', () => {
  it('makes a 160-bit seed, stores it only encrypted and shows the URI and QR code once', async () => {
    const { change, seed } = await enrolled();
    const seedBase32 = base32.encode(seed);
    expect(seed).toHaveLength(20);
    expect(change.needsConfirmation).toBe(true);
    expect(change.resetReplayGuard).toBe(true);
    expect(change.config.seed).toMatch(/^v1\./);
    expect(JSON.stringify(change.config)).not.toContain(seedBase32);
    expect(JSON.stringify(change.config)).not.toContain(Buffer.from(seed).toString('hex'));
    const uri = new URL(change.enrollment!.otpauth_uri as string);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(decodeURIComponent(uri.pathname)).toBe('/two-factor demo:alice');
    expect(uri.searchParams.get('secret')).toBe(seedBase32);
    expect(uri.searchParams.get('issuer')).toBe('two-factor demo');
    expect(change.enrollment!.qr_code).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
  });

  it('puts digits, algorithm, issuer and label into the URI and the stored config', async () => {
    const backend = new PinnedTotpBackend();
    const change = await backend.changeUserConfig({ label: 'alice@example.com' }, undefined, contextFor({ issuer: 'ACME', digits: 8, algorithm: 'SHA256' }));
    const uri = new URL(change.enrollment!.otpauth_uri as string);
    expect(decodeURIComponent(uri.pathname)).toBe('/ACME:alice@example.com');
    expect(uri.searchParams.get('digits')).toBe('8');
    expect(uri.searchParams.get('algorithm')).toBe('SHA256');
    expect(change.config).toMatchObject({ label: 'alice@example.com', digits: 8, algorithm: 'SHA256', period: 30 });
  });

  it('gives every enrolment its own seed', async () => {
    const a = await enrolled();
    const b = await enrolled();
    expect(Buffer.from(a.seed).equals(Buffer.from(b.seed))).toBe(false);
  });

  it('keeps the seed on a label change, with nothing to show or confirm', async () => {
    const { backend, change } = await enrolled();
    const next = await backend.changeUserConfig({ label: 'phone' }, change.config, contextFor({}, change.config));
    expect(next).toEqual({ config: { ...change.config, label: 'phone' }, needsConfirmation: false });
  });

  it('makes a new seed when asked to regenerate, to be confirmed again', async () => {
    const { backend, change, seed } = await enrolled();
    const next = await backend.changeUserConfig({ regenerate: true }, change.config, contextFor({}, change.config));
    expect(next.needsConfirmation).toBe(true);
    expect(next.resetReplayGuard).toBe(true);
    expect(next.enrollment).toHaveProperty('otpauth_uri');
    expect(secrets.decrypt(next.config.seed)).not.toBe(Buffer.from(seed).toString('hex'));
  });

  it('shows no seed in the public view', async () => {
    const { backend, change } = await enrolled();
    expect(backend.publicConfig(change.config)).toEqual({ label: 'alice', digits: 6, algorithm: 'SHA1', period: 30 });
  });
});

describe('TotpBackend requestConfirmation', () => {
  it('sends nothing and keeps no state', () => {
    expect(new TotpBackend().requestConfirmation(undefined, contextFor({}, { seed: 'x', label: 'a', digits: 6, algorithm: 'SHA1', period: 30 }))).toEqual({
      state: {},
    });
  });

  it('refuses a method-level confirmation: there is no seed to check against', () => {
    expect(() => new TotpBackend().requestConfirmation(undefined, contextFor())).toThrow(ValidationFailedError);
  });
});

describe('TotpBackend confirm', () => {
  it.each([-1, 0, 1])('accepts the code of step T%+d and claims that step', async (offset) => {
    const { step, codeAt, confirm } = await enrolled();
    expect(await confirm(codeAt(step + offset))).toEqual({ ok: true, claim: { kind: 'after', value: step + offset } });
  });

  it.each([-2, 2])('refuses the code of step T%+d', async (offset) => {
    const { step, codeAt, confirm } = await enrolled();
    expect(await confirm(codeAt(step + offset))).toBe(false);
  });

  it('accepts only step T with window 0', async () => {
    const { step, codeAt, confirm } = await enrolled({ window: 0 });
    expect(await confirm(codeAt(step - 1))).toBe(false);
    expect(await confirm(codeAt(step + 1))).toBe(false);
    expect(await confirm(codeAt(step))).toEqual({ ok: true, claim: { kind: 'after', value: step } });
  });

  it('refuses the same step twice', async () => {
    const { step, codeAt, confirm } = await enrolled();
    const first = await confirm(codeAt(step));
    expect(first).toEqual({ ok: true, claim: { kind: 'after', value: step } });
    expect(await confirm(codeAt(step), step)).toBe(false);
  });

  it('refuses a step older than the last accepted one, and accepts a newer one', async () => {
    const { step, codeAt, confirm } = await enrolled();
    expect(await confirm(codeAt(step - 1), step)).toBe(false);
    expect(await confirm(codeAt(step + 1), step)).toEqual({ ok: true, claim: { kind: 'after', value: step + 1 } });
  });

  it('follows the server clock only', async () => {
    const { backend, step, codeAt, confirm } = await enrolled();
    const code = codeAt(step);
    backend.nowMs += 60_000;
    expect(await confirm(code)).toBe(false);
    backend.nowMs -= 30_000;
    expect(await confirm(code)).toEqual({ ok: true, claim: { kind: 'after', value: step } });
  });

  it('checks 8-digit SHA-256 enrolments with their own parameters', async () => {
    const { step, codeAt, confirm } = await enrolled({ digits: 8, algorithm: 'SHA256' });
    const code = codeAt(step);
    expect(code).toMatch(/^[0-9]{8}$/);
    expect(await confirm(code)).toEqual({ ok: true, claim: { kind: 'after', value: step } });
    expect(await confirm(code.slice(2))).toBe(false);
  });

  it.each([
    ['with a space in the middle', (c: string) => `${c.slice(0, 3)} ${c.slice(3)}`],
    ['with surrounding spaces', (c: string) => ` ${c} `],
    ['as a longer string ending in the code', (c: string) => `9${c}`],
    ['with a trailing newline', (c: string) => `${c}\n`],
    ['in fullwidth digits', (c: string) => String.fromCodePoint(...[...c].map((d) => 0xff10 + Number(d)))],
    ['in Arabic-Indic digits', (c: string) => String.fromCodePoint(...[...c].map((d) => 0x0660 + Number(d)))],
    ['as a JSON number', (c: string) => Number(`1${c}`) - 10 ** c.length],
    ['as an array', (c: string) => [c]],
  ])('refuses the right code %s', async (_name, spell) => {
    const { step, codeAt, confirm } = await enrolled();
    const code = codeAt(step);
    expect(await confirm(spell(code))).toBe(false);
    expect(await confirm(code)).toEqual({ ok: true, claim: { kind: 'after', value: step } });
  });

  it('refuses when there is no user config to check against', async () => {
    const { step, codeAt } = await enrolled();
    expect(await new PinnedTotpBackend().confirm({}, { code: codeAt(step) }, contextFor())).toBe(false);
  });
});

describe('TOTP config DTOs', () => {
  it('defaults to the settings every authenticator app supports', () => {
    expect({ ...validateDto(TotpGlobalConfigDto, {}, 'config') }).toEqual({ issuer: 'two-factor demo', digits: 6, algorithm: 'SHA1', window: 1, period: 30 });
  });

  it.each([{ digits: 7 }, { algorithm: 'MD5' }, { window: 2 }, { period: 60 }, { issuer: 'ACME:Corp' }, { issuer: '' }])(
    'refuses the global config %p',
    (config) => {
      expect(() => validateDto(TotpGlobalConfigDto, config, 'config')).toThrow(ValidationFailedError);
    },
  );

  it.each([{ label: 'a:b' }, { label: '' }, { regenerate: 'yes' }, { seed: 'JBSWY3DPEHPK3PXP' }])('refuses the user config %p', (config) => {
    expect(() => validateDto(TotpUserConfigDto, config, 'config')).toThrow(ValidationFailedError);
  });
});

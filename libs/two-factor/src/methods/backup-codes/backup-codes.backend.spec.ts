import type { BackendContext } from '../../method-api/backend.js';
import { validateDto } from '../../method-api/validate-dto.js';
import { ValidationFailedError } from '../../errors/request.errors.js';
import { SecretBox } from '../../secrets/secret-box.js';
import { BackupCodesBackend, isSpent } from './backup-codes.backend.js';
import { BackupCodesGlobalConfigDto, type BackupCodesStoredConfig } from './backup-codes.dto.js';
import { createTestBackendContext } from '../../testing/test-backend-context.js';
import { BACKUP_CODES_METHOD } from './backup-codes.method.js';

const secrets = new SecretBox('unit-test-secret-unit-test-secret-0123456789');
const backend = new BackupCodesBackend();

function contextFor(
  global: Partial<BackupCodesGlobalConfigDto> = {},
  stored?: BackupCodesStoredConfig,
  replayGuard = 0,
): BackendContext<BackupCodesGlobalConfigDto, BackupCodesStoredConfig> {
  return createTestBackendContext(BACKUP_CODES_METHOD, { global, stored, replayGuard, secrets });
}

async function enrolled(global: Partial<BackupCodesGlobalConfigDto> = { count: 4 }) {
  const change = await backend.changeUserConfig({}, undefined, contextFor(global));
  const codes = change.enrollment!.codes as string[];
  const confirm = (code: unknown, replayGuard = 0) => backend.confirm({}, { code }, contextFor(global, change.config, replayGuard));
  return { change, codes, confirm };
}

describe('BackupCodesBackend enrolment', () => {
  it('shows `count` fresh codes once and stores only sealed hashes', async () => {
    const { change, codes } = await enrolled({ count: 10 });
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-km-np-z2-9]{5}-[a-km-np-z2-9]{5}$/);
    expect(change.needsConfirmation).toBe(false);
    expect(change.resetReplayGuard).toBe(true);
    expect(change.config.codes).toHaveLength(10);
    const stored = JSON.stringify(change.config);
    for (const code of codes) {
      expect(stored).not.toContain(code);
      expect(stored).not.toContain(code.replace('-', ''));
    }
  });

  it('defaults to 10 codes and refuses more than 20', () => {
    expect(validateDto(BackupCodesGlobalConfigDto, {}, 'config').count).toBe(10);
    expect(() => validateDto(BackupCodesGlobalConfigDto, { count: 21 }, 'config')).toThrow(ValidationFailedError);
    expect(() => validateDto(BackupCodesGlobalConfigDto, { count: 0 }, 'config')).toThrow(ValidationFailedError);
  });

  it('keeps the set when the config is resubmitted without regenerate', async () => {
    const { change } = await enrolled();
    expect(await backend.changeUserConfig({}, change.config, contextFor({ count: 4 }, change.config))).toEqual({
      config: change.config,
      needsConfirmation: false,
    });
  });

  it('makes a new set on regenerate, and the old codes stop matching', async () => {
    const { change, codes } = await enrolled();
    const next = await backend.changeUserConfig({ regenerate: true }, change.config, contextFor({ count: 4 }, change.config, 0b11));
    expect(next.resetReplayGuard).toBe(true);
    const fresh = next.enrollment!.codes as string[];
    expect(fresh.some((code) => codes.includes(code))).toBe(false);
    expect(await backend.confirm({}, { code: codes[0] }, contextFor({ count: 4 }, next.config))).toBe(false);
    expect(await backend.confirm({}, { code: fresh[0] }, contextFor({ count: 4 }, next.config))).toEqual({ ok: true, claim: { kind: 'bit', index: 0 } });
  });
});

describe('BackupCodesBackend confirm', () => {
  it('claims the bit of the code that matched', async () => {
    const { codes, confirm } = await enrolled();
    for (const [index, code] of codes.entries()) expect(await confirm(code)).toEqual({ ok: true, claim: { kind: 'bit', index } });
  });

  it('reads every spelling of a code as the same code, so the one bit guards them all', async () => {
    const { codes, confirm } = await enrolled();
    const code = codes[2];
    for (const spelling of [code, code.toUpperCase(), code.replace('-', ''), code.replace('-', ' ')]) {
      expect(await confirm(spelling)).toEqual({ ok: true, claim: { kind: 'bit', index: 2 } });
      expect(await confirm(spelling, 2 ** 2)).toBe(false);
    }
  });

  it('refuses a spent code and accepts the others', async () => {
    const { codes, confirm } = await enrolled();
    expect(await confirm(codes[1], 0b0010)).toBe(false);
    expect(await confirm(codes[3], 0b0010)).toEqual({ ok: true, claim: { kind: 'bit', index: 3 } });
  });

  it.each([
    ['a wrong code', () => 'aaaaa-aaaaa'],
    ['a longer string ending in a code', (c: string) => `x${c}`],
    ['a code missing a symbol', (c: string) => c.slice(0, -1)],
    ['a number', () => 1234567890],
    ['nothing', () => undefined],
  ])('refuses %s', async (_name, spell) => {
    const { codes, confirm } = await enrolled();
    expect(await confirm(spell(codes[0]))).toBe(false);
  });

  it('refuses when there is no user config', async () => {
    const { codes } = await enrolled();
    expect(await backend.confirm({}, { code: codes[0] }, contextFor())).toBe(false);
  });
});

describe('BackupCodesBackend requestConfirmation and public view', () => {
  it('keeps no state and needs a user config', async () => {
    const { change } = await enrolled();
    expect(backend.requestConfirmation(undefined, contextFor({}, change.config))).toEqual({ state: {} });
    expect(() => backend.requestConfirmation(undefined, contextFor())).toThrow(ValidationFailedError);
  });

  it('shows how many codes remain, and no hash', async () => {
    const { change } = await enrolled();
    expect(backend.publicConfig(change.config, contextFor({}, change.config, 0))).toEqual({ total: 4, remaining: 4 });
    expect(backend.publicConfig(change.config, contextFor({}, change.config, 0b1010))).toEqual({ total: 4, remaining: 2 });
  });

  it('reads bits above 32 of the replay guard', () => {
    expect(isSpent(2 ** 40, 40)).toBe(true);
    expect(isSpent(2 ** 40, 8)).toBe(false);
    expect(isSpent(2 ** 20 - 1, 19)).toBe(true);
  });
});

import { SecretBox } from '../../secrets/secret-box.js';
import { createTestBackendContext } from '../../testing/test-backend-context.js';
import { DummyBackend } from './dummy.backend.js';
import type { DummyGlobalConfigDto } from './dummy.dto.js';
import { DUMMY_METHOD } from './dummy.method.js';

const secrets = new SecretBox('dummy-spec-secret-dummy-spec-secret-0000');
const context = (stored?: { code_hash: string }) => createTestBackendContext<DummyGlobalConfigDto, { code_hash: string }>(DUMMY_METHOD, { stored, secrets });

describe('DummyBackend', () => {
  const backend = new DummyBackend();

  it('stores only a keyed hash of the code, and a new code needs confirming', () => {
    const change = backend.changeUserConfig({ code: 'mine' }, undefined, context());
    expect(change.needsConfirmation).toBe(true);
    expect(JSON.stringify(change.config)).not.toContain('mine');
    expect(secrets.verify('mine', change.config.code_hash)).toBe(true);
  });

  it('an unchanged code needs no confirmation; a changed one does', () => {
    const stored = backend.changeUserConfig({ code: 'mine' }, undefined, context()).config;
    expect(backend.changeUserConfig({ code: 'mine' }, stored, context(stored)).needsConfirmation).toBe(false);
    expect(backend.changeUserConfig({ code: 'other' }, stored, context(stored)).needsConfirmation).toBe(true);
  });

  it("a user-bound confirmation expects the user's code; a method-level one the global code", () => {
    const stored = backend.changeUserConfig({ code: 'mine' }, undefined, context()).config;
    const bound = backend.requestConfirmation(undefined, context(stored));
    expect(backend.confirm(bound.state, { code: 'mine' }, context(stored))).toBe(true);
    expect(backend.confirm(bound.state, { code: 'dummy-method' }, context(stored))).toBe(false);
    const methodLevel = backend.requestConfirmation(undefined, context());
    expect(backend.confirm(methodLevel.state, { code: 'dummy-method' }, context())).toBe(true);
    expect(backend.confirm(methodLevel.state, { code: 'mine' }, context())).toBe(false);
    expect(JSON.stringify(methodLevel.state)).not.toContain('dummy-method');
  });

  it('refuses answers that are not strings', () => {
    const state = backend.requestConfirmation(undefined, context()).state;
    for (const code of [undefined, null, 0, ['dummy-method'], { code: 'dummy-method' }]) expect(backend.confirm(state, { code }, context())).toBe(false);
  });
});

import type { ConfirmationState } from '../entities/confirmation-state.entity.js';
import { ConfirmationPurpose } from '../entities/purpose.js';
import { Status } from '../entities/status.js';
import type { SpentProof } from '../factors/user-config.service.js';
import { PublicViewMapper } from './public-view.mapper.js';

/** `spentProof` only reads the confirmation and the proof: it needs no registry, binder or translator. */
const mapper = new PublicViewMapper(null as never, null as never, null as never);

function spent(details: Record<string, string | number> | null, action: string | null): SpentProof {
  const confirmation = {
    id: '3f2c9a40-1d7e-4b8a-9c1e-0a5b6c7d8e9f',
    method_config_id: 2,
    user_config_id: 7,
    user_id: '1',
    status: Status.Confirmed,
    state: { code_hash: 'never shown' },
    attempts: 1,
    max_attempts: 5,
    expires_at: new Date('2026-12-07T14:05:00.000Z'),
    created_at: new Date('2026-12-07T13:59:00.000Z'),
    updated_at: new Date('2026-12-07T14:00:00.000Z'),
    purpose: ConfirmationPurpose.StepUp,
    action,
    details,
  } as unknown as ConfirmationState;
  return { confirmation, method: 'totp', amr: ['otp'], phishing_resistant: false };
}

describe('PublicViewMapper.spentProof', () => {
  it('is the confirmation’s view, then the proof’s method, factor, confirmation time, RFC 8176 values and phishing resistance, in that order', () => {
    const view = mapper.spentProof(spent({ amount: 100, to: 'DE89' }, 'transfer'));
    expect(view).toEqual({
      id: '3f2c9a40-1d7e-4b8a-9c1e-0a5b6c7d8e9f',
      status: Status.Confirmed,
      is_available: false,
      expires_at: '2026-12-07T14:05:00.000Z',
      attempts_left: 4,
      action: 'transfer',
      details: { amount: 100, to: 'DE89' },
      method: 'totp',
      user_config_id: 7,
      confirmed_at: '2026-12-07T14:00:00.000Z',
      amr: ['otp'],
      phishing_resistant: false,
    });
    // The order a host sees when it logs or serialises the proof (the spread this replaced gave the same).
    expect(Object.keys(view)).toEqual([
      'id',
      'status',
      'is_available',
      'expires_at',
      'attempts_left',
      'action',
      'details',
      'method',
      'user_config_id',
      'confirmed_at',
      'amr',
      'phishing_resistant',
    ]);
  });

  it('gives copies, so a host that changes the view changes nothing the module keeps', () => {
    const proof = spent({ amount: 100 }, 'transfer');
    const view = mapper.spentProof(proof);
    view.details!.amount = 1;
    view.amr.push('mfa');
    expect(proof.confirmation.details).toEqual({ amount: 100 });
    expect(proof.amr).toEqual(['otp']);
  });

  it('says null for a proof with no action or details, and never the confirmation’s state', () => {
    const view = mapper.spentProof(spent(null, null));
    expect(view.action).toBeNull();
    expect(view.details).toBeNull();
    expect(JSON.stringify(view)).not.toContain('never shown');
  });
});

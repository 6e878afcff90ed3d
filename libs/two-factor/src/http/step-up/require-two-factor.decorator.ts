import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { apiErrorResponses, ApiTwoFactorErrors, STEP_UP_ERRORS } from '../errors/api-errors.decorator.js';
import { locatedGuard } from './located-guard.js';
import { checkRequireTwoFactorOptions, TWO_FACTOR_STEP_UP_POLICY, type RequireTwoFactorOptions } from './step-up-policy.metadata.js';
import { TwoFactorStepUpGuard } from './two-factor-step-up.guard.js';

/** Works in any module of the host, not only where TwoFactorModule's providers are visible. */
const STEP_UP_GUARD = locatedGuard(TwoFactorStepUpGuard);

/**
 * Demands a fresh second-factor confirmation for this route (header
 * `X-Two-Factor-Confirmation: <confirmation id>`); answers 403
 * `two_factor_required` with the user's qualifying factors otherwise. The spent proof
 * (`PublicSpentProof`: method, factor, confirmed_at, action, amr) is on `request.twoFactorConfirmation`.
 * On a controller it applies to every route; a route's own options override the controller's, key by key.
 *
 * Options (docs/guide/step-up-policy.md): `methods` / `phishingResistant` (403 `factor_not_allowed`;
 * `two_factor_enrollment_required` when the user has no qualifying factor), `maxAgeSeconds` (403
 * `proof_too_old`), `action` with `details` (403 `proof_action_mismatch` unless the proof was requested
 * for this action with exactly these details). A refused proof is never spent.
 * @example
 * @Post('transfer')
 * @RequireTwoFactor({ action: 'transfer', details: (req) => ({ amount: req.body.amount, payee: req.body.payee }) })
 * transfer() { … }
 */
export function RequireTwoFactor(options: RequireTwoFactorOptions = {}): MethodDecorator & ClassDecorator {
  const checked = checkRequireTwoFactorOptions(options);
  return applyDecorators(
    SetMetadata(TWO_FACTOR_STEP_UP_POLICY, checked),
    UseGuards(STEP_UP_GUARD),
    ApiHeader({
      name: 'X-Two-Factor-Confirmation',
      required: true,
      description: describe(checked),
    }),
    ApiTwoFactorErrors(401, 503),
    apiErrorResponses(STEP_UP_ERRORS, [403]),
  );
}

/** The header's description in the OpenAPI document: what this route's proof must be. */
function describe(options: RequireTwoFactorOptions): string {
  const demands = [
    options.methods ? `of a factor of method ${options.methods.join(' or ')}` : '',
    options.phishingResistant ? 'of a phishing-resistant factor (WebAuthn)' : '',
    options.maxAgeSeconds ? `confirmed within the last ${options.maxAgeSeconds} s` : '',
    options.action ? `requested with action \`${options.action}\` and this request's details` : 'requested without an action',
  ].filter(Boolean);
  return `Id of a confirmed confirmation of one of your factors, ${demands.join(', ')}; used up by this request.`;
}

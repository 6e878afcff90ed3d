import type { PublicConfirmation } from '../../public-api/public-views.js';
import type { SignInPending } from '../../sign-in/sign-in.types.js';
import type { TwoFactorSignInChallengeDto, TwoFactorSignInRequiredDto } from './sign-in-routes.dto.js';

/**
 * SignInService's results as the shipped routes' bodies: field by field, so
 * nothing the service may carry beside them (a code, a hash, an address)
 * reaches a response. The one place to follow when those result types change.
 */
export const SignInBodyMapper = {
  required(started: SignInPending): TwoFactorSignInRequiredDto {
    return {
      two_factor_required: true,
      sign_in_token: started.token,
      expires_at: started.expiresAt.toISOString(),
      factors: started.factors.map((factor) => ({
        id: factor.id,
        method: factor.method,
        title: factor.title,
        nickname: factor.nickname,
        destination: factor.destination,
        created_at: factor.created_at,
        last_used_at: factor.last_used_at,
      })),
      recovery: started.recovery
        ? { recovery_id: started.recovery.id, not_before: started.recovery.notBefore.toISOString(), enrollment_open: started.recovery.enrollmentOpen }
        : null,
    };
  },

  challenge(confirmation: PublicConfirmation): TwoFactorSignInChallengeDto {
    return {
      id: confirmation.id,
      expires_at: confirmation.expires_at,
      attempts_left: confirmation.attempts_left,
      challenge: confirmation.challenge ?? null,
    };
  },
};

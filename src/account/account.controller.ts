import { Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import {
  amrClaims,
  RequireTwoFactor,
  RequireTwoFactorEnrollment,
  type PublicConfirmation,
  type PublicSpentProof,
  type TwoFactorRequest,
} from 'nestjs-two-factor';

/** Body of `POST /api/v1/account/transfer` (documentation): the three details the proof must have been requested with. */
export class TransferDto {
  @ApiProperty({ example: '120.00', maxLength: 256, description: 'Exactly as in the confirmation request: `120.00` is not `120.0`.' })
  amount!: string;

  @ApiProperty({ example: 'EUR', maxLength: 256 })
  currency!: string;

  @ApiProperty({ example: 'ACME Ltd', maxLength: 256, description: 'Compared exactly, letter case included.' })
  payee!: string;
}

/**
 * The transfer's details as the client sent them: the guard runs before any pipe, so it reads the
 * raw body. Three strings or nothing: otherwise no proof approves the request (403 proof_action_mismatch).
 */
export function transferDetails(request: TwoFactorRequest): Record<string, string> {
  const body = request.body ?? {};
  const details = { amount: body.amount, currency: body.currency, payee: body.payee };
  if (!Object.values(details).every((value) => typeof value === 'string')) throw new Error('a transfer is three strings');
  return details;
}

/** A host-app route guarded by a fresh second factor: how an app uses `@RequireTwoFactor()`. */
@ApiTags('demo: account')
@ApiBearerAuth()
@Controller('api/v1/account')
export class AccountController {
  @Post('sensitive-action')
  @HttpCode(200)
  @RequireTwoFactor()
  @ApiOperation({
    summary: 'A sensitive action behind step-up',
    description:
      'Request and confirm a confirmation of one of your factors, then send its id in X-Two-Factor-Confirmation. Each confirmation lets one request through.',
  })
  @ApiOkResponse({ schema: { example: { status: 'done', confirmation_id: '3b241101-e2bb-4255-8caf-4136c566a962' } } })
  sensitiveAction(@Req() request: { twoFactorConfirmation: PublicConfirmation }): { status: 'done'; confirmation_id: string } {
    return { status: 'done', confirmation_id: request.twoFactorConfirmation.id };
  }

  @Post('transfer')
  @HttpCode(200)
  @RequireTwoFactor({ action: 'transfer', details: transferDetails })
  @ApiOperation({
    summary: 'A transfer, approved by a proof of exactly this transfer (dynamic linking)',
    description:
      'Request a confirmation with `action: "transfer"` and `details: {amount, currency, payee}` (the passkey page and the code message show them), confirm it, then send its id in X-Two-Factor-Confirmation with the same three values. Any other proof — plain, of another action, or of other details (120.00 → 120.01, another letter case) — is refused with 403 proof_action_mismatch and not spent.',
  })
  @ApiOkResponse({ schema: { example: { transferred: true, amr: ['pwd', 'otp', 'mfa'] } } })
  // No pipe refuses the body after the guard spent the proof: the guard already matched its three values to the proof's.
  @ApiBody({ type: TransferDto })
  transfer(@Req() request: { twoFactorConfirmation: PublicSpentProof }): { transferred: true; amr: string[] } {
    return { transferred: true, amr: amrClaims(request.twoFactorConfirmation).amr };
  }

  @Post('security-key-only')
  @HttpCode(200)
  @RequireTwoFactor({ phishingResistant: true, maxAgeSeconds: 60 })
  @ApiOperation({
    summary: 'Only a passkey or security key, confirmed within the last minute',
    description:
      'Phishing-resistant factors only (WebAuthn): another factor answers 403 factor_not_allowed (or two_factor_enrollment_required without a passkey), a proof older than 60 s 403 proof_too_old. Neither is spent.',
  })
  @ApiOkResponse({ schema: { example: { status: 'done', method: 'webauthn', amr: ['pwd', 'hwk', 'mfa'], acr: 'phr' } } })
  securityKeyOnly(@Req() request: { twoFactorConfirmation: PublicSpentProof }): { status: 'done'; method: string; amr: string[]; acr: string } {
    const { amr, acr } = amrClaims(request.twoFactorConfirmation);
    return { status: 'done', method: request.twoFactorConfirmation.method, amr, acr };
  }

  @Get('profile')
  @RequireTwoFactorEnrollment()
  @ApiOperation({
    summary: 'Your profile: behind the enrolment policy',
    description: 'Users the app requires a factor of (the demo: admin) get 403 two_factor_enrollment_required here until they enrol one.',
  })
  @ApiOkResponse({ schema: { example: { id: '1', username: 'alice' } } })
  profile(@Req() request: { user: { id: string; username: string } }): { id: string; username: string } {
    return { id: request.user.id, username: request.user.username };
  }
}

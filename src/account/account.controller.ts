import { Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireTwoFactor, RequireTwoFactorEnrollment, type PublicConfirmation } from 'nestjs-two-factor';

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

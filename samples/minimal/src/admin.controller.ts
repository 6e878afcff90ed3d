import { Controller, Get, Req } from '@nestjs/common';
import { RequireTwoFactorEnrollment } from 'nestjs-two-factor';

// #region enrollment-guard
/** Host routes only for users who meet the enrolment policy (app.module.ts): the admin needs a factor first. */
@Controller('admin')
@RequireTwoFactorEnrollment()
export class AdminController {
  @Get('report')
  report(@Req() request: { user?: { id: string } }) {
    return { report: 'for admins with a second factor', user: request.user?.id };
  }
}
// #endregion enrollment-guard

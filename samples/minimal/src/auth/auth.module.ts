import { Module } from '@nestjs/common';
import { SessionsService } from './sessions.service.js';
import { UsersService } from './users.service.js';

/** Users and sessions: imported by the app and by the two-factor options factory (the enrolment policy). */
@Module({ providers: [UsersService, SessionsService], exports: [UsersService, SessionsService] })
export class AuthModule {}

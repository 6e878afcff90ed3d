import { Injectable } from '@nestjs/common';
import { UnauthenticatedError } from '../../errors/request.errors.js';
import { MessageTranslator } from '../../translation/message-translator.js';
import { InjectTwoFactorOptions } from '../../options/two-factor.constants.js';
import type { ResolvedTwoFactorOptions } from '../../options/two-factor.options.js';
import type { TwoFactorRequest } from '../../two-factor-request.js';
import type { Caller } from '../../confirmations/confirmer.types.js';

/** Reads the caller (user id, address and language) from a request through the configured resolvers. */
@Injectable()
export class RequestUser {
  constructor(
    @InjectTwoFactorOptions() private readonly options: ResolvedTwoFactorOptions,
    private readonly translator: MessageTranslator,
  ) {}

  /** The caller; `userId` is null when nobody is signed in. */
  caller(request: TwoFactorRequest): Caller & { userId: string | null } {
    return {
      userId: this.userId(request),
      clientIp: this.options.getClientIp(request),
      language: this.translator.languageOf(request),
    };
  }

  /** The signed-in user's id, or null when nobody is signed in: for a route that needs no address or language (a check). */
  userId(request: TwoFactorRequest): string | null {
    const id = this.options.getUserId(request);
    return id === undefined || id === null || id === '' ? null : String(id);
  }

  /** The signed-in caller. @throws UnauthenticatedError when there is none. */
  signedIn(request: TwoFactorRequest): Caller & { userId: string } {
    const caller = this.caller(request);
    if (caller.userId === null) throw new UnauthenticatedError();
    return caller as Caller & { userId: string };
  }
}

import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { simpleWebAuthnBrowserBundle } from '../auth/sign-in-scripts.controller.js';
import { PASSKEYS_PAGE_HTML } from './passkeys.page.js';
import { PASSKEYS_PAGE_SCRIPT } from './passkeys.script.js';

/**
 * The demo's passkey page: sign in, register a passkey or security key, and
 * pass the sensitive action with it. Everything it does goes through the
 * module's public REST API, as any browser client would.
 */
@ApiExcludeController()
@Controller('demo/passkeys')
export class PasskeysPageController {
  private bundle?: string;

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  page(): string {
    return PASSKEYS_PAGE_HTML;
  }

  @Get('app.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  script(): string {
    return PASSKEYS_PAGE_SCRIPT;
  }

  @Get('simplewebauthn-browser.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  browserLibrary(): string {
    return (this.bundle ??= simpleWebAuthnBrowserBundle());
  }
}

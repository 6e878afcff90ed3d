import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { SECOND_STEP_SCRIPT } from './second-step.script.js';

/** The built UMD bundle of @simplewebauthn/browser, served from node_modules: no CDN, no network. */
export function simpleWebAuthnBrowserBundle(): string {
  const entry = createRequire(import.meta.url).resolve('@simplewebauthn/browser');
  return readFileSync(join(dirname(entry), '..', 'dist', 'bundle', 'index.umd.min.js'), 'utf8');
}

/**
 * The browser code the demo's pages share for the sign-in's second step (/admin and
 * /demo/passkeys load it from here, so both ask for a code or a passkey the same way).
 */
@ApiExcludeController()
@Controller('demo/sign-in')
export class SignInScriptsController {
  private bundle?: string;

  @Get('second-step.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  secondStep(): string {
    return SECOND_STEP_SCRIPT;
  }

  @Get('simplewebauthn-browser.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  browserLibrary(): string {
    return (this.bundle ??= simpleWebAuthnBrowserBundle());
  }
}

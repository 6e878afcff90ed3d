import type { INestApplication } from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';

/** Debian's Chromium, launched the way the house rules say: headless, no sandbox, no network chatter. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** A port nobody listens on right now (the demo's origin must be known before it boots). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Serves an already listening app on one more port: the same app, reached from another origin. */
export async function alsoServe(app: INestApplication, port: number): Promise<Server> {
  const server = createServer(app.getHttpAdapter().getInstance());
  await new Promise<void>((resolve) => server.listen(port, 'localhost', resolve));
  return server;
}

export interface VirtualAuthenticatorOptions {
  hasUserVerification?: boolean;
  isUserVerified?: boolean;
}

/** A page with the DevTools WebAuthn domain on, so virtual authenticators answer its ceremonies. */
export async function webauthnPage(
  browser: Browser,
): Promise<{ page: Page; cdp: CDPSession; addAuthenticator: (options?: VirtualAuthenticatorOptions) => Promise<string> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const addAuthenticator = async (options: VirtualAuthenticatorOptions = {}) => {
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'usb',
        hasResidentKey: true,
        hasUserVerification: options.hasUserVerification ?? true,
        isUserVerified: options.isUserVerified ?? true,
        automaticPresenceSimulation: true,
      },
    });
    return authenticatorId;
  };
  return { page, cdp, addAuthenticator };
}

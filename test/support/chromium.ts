import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import type { DemoHarness } from './demo-harness.js';

/** Debian's Chromium, as in CI; CHROMIUM_PATH points elsewhere. */
const EXECUTABLE = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless Chromium with nothing that reaches out to the network on its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: EXECUTABLE,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Makes the harness's app listen on a free local port and returns its base URL, for a real browser. */
export async function listen(h: DemoHarness): Promise<string> {
  await h.app.listen(0, '127.0.0.1');
  const { port } = h.app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

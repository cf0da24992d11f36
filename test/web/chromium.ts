import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (apt-get install -y chromium): playwright never downloads a browser here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumAvailable = (): boolean => existsSync(CHROMIUM);

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Containers without user namespaces cannot run Chromium's sandbox.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });

/** Screenshots of every page, for a person to look at (test-results/web, ignored by git). */
export const screenshotDir = (): string => {
  const dir = process.env.WEB_SCREENSHOTS_DIR ?? join(process.cwd(), 'test-results', 'web');
  mkdirSync(dir, { recursive: true });
  return dir;
};

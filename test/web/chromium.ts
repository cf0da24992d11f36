import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';

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

/** Without Chromium the file's tests are skipped, saying why (CI installs it and fails on a skip). */
export const skipWithoutChromium = (): void => {
  const reason = `PAGES WEB NON TESTÉES : Chromium absent (${CHROMIUM}). Installez-le : apt-get install -y chromium`;
  console.warn(reason);
  test.skip(reason, () => undefined);
};

/**
 * A full-page screenshot to look at, then axe-core's audit: no serious or critical violation (RGAA).
 * `measure` prints the page's loadEventEnd, a figure to report, never asserted.
 */
export const auditedScreenshot = async (
  page: Page,
  name: string,
  options: { dir?: string; measure?: boolean } = {},
): Promise<void> => {
  if (options.measure) {
    const loaded = Math.round(
      Number(await page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")),
    );
    console.info(`page ${name} : loadEventEnd ${loaded} ms`);
  }
  await page.screenshot({ path: join(options.dir ?? screenshotDir(), `${name}.png`), fullPage: true });
  const audit = await new AxeBuilder({ page }).analyze();
  const blocking = audit.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}) : ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect({ page: name, blocking }).toEqual({ page: name, blocking: [] });
};

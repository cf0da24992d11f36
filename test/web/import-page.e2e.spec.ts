import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { GARAGE_POULAT } from '../support/seed-dossiers';
import { startTestApp, type TestApp } from '../support/test-app';
import { enrolGaragePoulat } from './enrol';
import {
  chromiumAvailable,
  launchChromium,
  screenshotDir,
  auditedScreenshot,
  skipWithoutChromium,
} from './chromium';

/** examples/avance.json (README's walk-through) with a second line whose beneficiaire is wrong. */
const avanceWithError = (): Buffer => {
  const file = JSON.parse(readFileSync(join(process.cwd(), 'examples', 'avance.json'), 'utf8')) as {
    lignesImport: Record<string, unknown>[];
  };
  const first = file.lignesImport[0]!;
  file.lignesImport.push({ ...first, numLigne: 2, beneficiaire: '123' });
  return Buffer.from(JSON.stringify(file));
};

if (!chromiumAvailable()) {
  skipWithoutChromium();
} else {
  describe('The import page in Chromium: JSON file, progress, line report', () => {
    let t: TestApp;
    let base: string;
    let browser: Browser;
    const shots = screenshotDir();
    const shoot = (p: Page, name: string): Promise<void> => auditedScreenshot(p, name, { dir: shots });
    const signIn = async (p: Page): Promise<void> => {
      await p.goto(`${base}/connexion`);
      await p.locator('label[for="role-fournisseur"]').click();
      await p.getByLabel('SIRET du fournisseur').fill(GARAGE_POULAT.siret);
      await p.getByRole('button', { name: 'Se connecter' }).click();
      await p.waitForLoadState('load');
    };

    beforeAll(async () => {
      t = await startTestApp({ LOG_LEVEL: process.env.E2E_LOG ?? 'silent' }, { worker: true });
      await t.app.listen(0, '127.0.0.1');
      base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
      await enrolGaragePoulat(t);
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
      await t?.close();
    });

    it('imports an avance file with the script (progress bar) and shows each error at its line and field', async () => {
      const context = await browser.newContext({ locale: 'fr-FR' });
      const p = await context.newPage();
      await signIn(p);
      await p.getByRole('link', { name: 'Importer un fichier' }).click();
      await p.getByRole('heading', { level: 1, name: 'Importer un fichier de demandes' }).waitFor();
      expect(await p.locator('#progression').isHidden()).toBe(true);
      await shoot(p, '20-import');
      await p.locator('label[for="type-avance"]').click();
      await p.locator('#fichier-import').setInputFiles({
        name: 'avance.json',
        mimeType: 'application/json',
        buffer: avanceWithError(),
      });
      const upload = p.waitForRequest((r) => r.method() === 'POST' && r.resourceType() === 'xhr');
      await p.getByRole('button', { name: 'Importer' }).click();
      const sent = await upload; // sent by the script (XMLHttpRequest, for its upload progress), not the plain form
      expect((await sent.response())?.status()).toBe(303);
      await p.getByRole('heading', { level: 1, name: 'Rapport d’import' }).waitFor();
      expect(new URL(p.url()).pathname).toMatch(/^\/imports\/[0-9a-f-]{36}$/);
      expect(await p.locator('#statut-import').innerText()).toMatch(/partiellement accepté/i);
      const rows = p.locator('#rapport-lignes tbody tr');
      const line1 = await rows.nth(0).innerText();
      expect(line1).toMatch(/^1\s+FINSAS\d{6}\s+Enregistrée/i);
      const line2 = await rows.nth(1).innerText();
      expect(line2).toMatch(/^2\s+—\s+Refusée/i);
      expect(await rows.nth(1).locator('code').innerText()).toBe('lignesImport[1].beneficiaire');
      await shoot(p, '21-import-rapport');
      await context.close();
    });

    it('works without JavaScript (plain multipart POST, then the report), and refuses a missing file inline', async () => {
      const context = await browser.newContext({ locale: 'fr-FR', javaScriptEnabled: false });
      const p = await context.newPage();
      await signIn(p);
      await p.goto(`${base}/imports`);
      await p.getByRole('button', { name: 'Importer' }).click();
      await p.waitForLoadState('load');
      expect(await p.locator('#fichier-import-erreur').innerText()).toContain('Choisissez le fichier JSON');
      // Screenshot only: axe-core runs as a script, and this page has none (the same markup is audited above).
      await p.screenshot({ path: join(shots, '22-import-erreur-sans-script.png'), fullPage: true });
      await p.locator('label[for="type-avance"]').click();
      await p.locator('#fichier-import').setInputFiles(join(process.cwd(), 'examples', 'avance.json'));
      await p.getByRole('button', { name: 'Importer' }).click();
      await p.waitForLoadState('load');
      await p.getByRole('heading', { level: 1, name: 'Rapport d’import' }).waitFor();
      expect(await p.locator('#statut-import').innerText()).toMatch(/accepté|déjà importé/i);
      await context.close();
    });

    it('refuses a cross-site import post', async () => {
      const context = await browser.newContext({ locale: 'fr-FR' });
      const p = await context.newPage();
      await signIn(p);
      const foreign = await p.request.post(`${base}/imports`, {
        multipart: {
          type: 'avance',
          file: { name: 'a.json', mimeType: 'application/json', buffer: avanceWithError() },
        },
        headers: { Origin: 'https://malveillant.example' },
        maxRedirects: 0,
      });
      expect(foreign.status()).toBe(403);
      await context.close();
    });

    it('keeps the import and modification pages to the fournisseur (403 for a gestionnaire)', async () => {
      const context = await browser.newContext({ locale: 'fr-FR' });
      const p = await context.newPage();
      await p.goto(`${base}/connexion`);
      await p.locator('label[for="role-gestionnaire"]').click();
      await p.getByRole('button', { name: 'Se connecter' }).click();
      await p.waitForLoadState('load');
      expect((await p.goto(`${base}/imports`))?.status()).toBe(403);
      await p.getByRole('heading', { level: 1, name: 'Accès refusé' }).waitFor();
      expect((await p.goto(`${base}/dossiers/FINSAS000001/modification`))?.status()).toBe(403);
      await context.close();
    });
  });
}

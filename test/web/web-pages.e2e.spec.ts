import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { GARAGE_POULAT, seedSoldeEnCours } from '../support/seed-dossiers';
import { startTestApp, type TestApp } from '../support/test-app';
import { enrolGaragePoulat } from './enrol';
import {
  chromiumAvailable,
  launchChromium,
  screenshotDir,
  auditedScreenshot,
  skipWithoutChromium,
} from './chromium';

const N = GARAGE_POULAT.numeroAsp;
const OTHER_SIRET = '80125271900415';
const OTHER_N = 'FINSAS008540';

if (!chromiumAvailable()) {
  skipWithoutChromium();
} else {
  describe('Web pages in Chromium: dev sign-in, Mes dossiers, suivi page, work queue (embedded mode)', () => {
    let t: TestApp;
    let base: string;
    let browser: Browser;
    const shots = screenshotDir();
    /** A screenshot to look at, and axe-core's audit: no serious or critical violation (RGAA). */
    const shoot = (p: Page, name: string): Promise<void> => auditedScreenshot(p, name, { dir: shots });

    const signIn = async (p: Page, role: string, siret?: string): Promise<void> => {
      await p.goto(`${base}/`);
      await p.getByRole('heading', { level: 1, name: 'Connexion de développement' }).waitFor();
      await p.locator(`label[for="role-${role}"]`).click();
      if (siret) await p.getByLabel('SIRET du fournisseur').fill(siret);
      await p.getByRole('button', { name: 'Se connecter' }).click();
      await p.waitForLoadState('load');
    };

    beforeAll(async () => {
      t = await startTestApp({ LOG_LEVEL: process.env.E2E_LOG ?? 'silent' }, { worker: true });
      await t.app.listen(0, '127.0.0.1');
      base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
      await enrolGaragePoulat(t);
      await seedSoldeEnCours(t.infra);
      await seedSoldeEnCours(t.infra, { numeroAsp: OTHER_N, siret: OTHER_SIRET, numeroAns: 'autreANS01' });
      const requested = await t
        .http()
        .post(`/api/v1/dossiers/${N}/modification`)
        .auth(t.token('gestionnaire'), { type: 'bearer' })
        .send({ commentaire: 'Merci de <b>corriger</b> le contact' });
      expect(requested.status).toBe(200);
      // The pages read the projections: wait (bounded) until they hold the request.
      const suivi = await t
        .http()
        .get(`/api/v1/dossiers/${N}`)
        .auth(t.token('gestionnaire'), { type: 'bearer' })
        .set('X-Min-Position', String(requested.headers['x-position']));
      expect(suivi.body.recapitulatif.statut).toBe('A_MODIFIER');
      browser = await launchChromium();
      console.info(`captures d’écran des pages web : ${shots}`);
    });
    afterAll(async () => {
      await browser?.close();
      await t?.close();
    });

    it('serves the DSFR assets from node_modules under /dsfr', async () => {
      const css = await t.http().get('/dsfr/dsfr.min.css');
      expect(css.status).toBe(200);
      expect(css.headers['content-type']).toMatch(/text\/css/);
      expect((await t.http().get('/dsfr/nexiste-pas.css')).status).toBe(404);
    });

    it('signs a fournisseur in, lists only its dossiers with statut badges, and searches by numéro ASP', async () => {
      const context = await browser.newContext({ locale: 'fr-FR' });
      const p = await context.newPage();
      const started = Date.now();
      await signIn(p, 'fournisseur', GARAGE_POULAT.siret);
      console.info(`connexion puis « Mes dossiers » chargés en ${Date.now() - started} ms`);
      expect(new URL(p.url()).pathname).toBe('/mes-dossiers');
      expect(await p.getAttribute('html', 'lang')).toBe('fr');
      await p.getByRole('heading', { level: 1, name: 'Mes dossiers' }).waitFor();
      // The DSFR stylesheet really applies (Marianne font, header component), not bare HTML.
      expect(String(await p.evaluate('getComputedStyle(document.body).fontFamily'))).toContain('Marianne');
      expect(await p.locator('.fr-header .fr-logo').innerText()).toMatch(/République\s+française/i);
      await p
        .getByRole('link', { name: 'Contenu' })
        .count()
        .then((n) => expect(n).toBe(1));

      const table = p.locator('table');
      await expect(table.locator('caption').innerText()).resolves.toContain('Mes dossiers');
      const rows = table.locator('tbody tr');
      expect(await rows.count()).toBe(1);
      expect(await rows.first().innerText()).toContain(N);
      expect(await rows.first().locator('.fr-badge').innerText()).toMatch(/a modifier/i);
      expect(await p.content()).not.toContain(OTHER_N);

      const cookies = await context.cookies();
      const session = cookies.find((c) => c.name === 'segur_session');
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
      await shoot(p, '01-mes-dossiers');

      await p.getByLabel('Rechercher par numéro ASP').fill('FINSAS999999');
      await p.getByRole('button', { name: 'Rechercher' }).click();
      await p.waitForLoadState('load');
      expect(await p.locator('tbody').innerText()).toContain('Aucun dossier');
      await p.getByLabel('Rechercher par numéro ASP').fill(N.slice(0, 9));
      await p.getByRole('button', { name: 'Rechercher' }).click();
      await p.waitForLoadState('load');
      expect(await p.locator('tbody tr').count()).toBe(1);
      // Another fournisseur's numéro ASP is not found by search either.
      await p.goto(`${base}/mes-dossiers?q=${OTHER_N}`);
      expect(await p.locator('tbody').innerText()).toContain('Aucun dossier');
      await context.close();
    });

    it('shows the suivi page with its blocks and the modification banner, and escapes the comment', async () => {
      const context = await browser.newContext({ locale: 'fr-FR' });
      const p = await context.newPage();
      await signIn(p, 'fournisseur', GARAGE_POULAT.siret);
      await p.getByRole('link', { name: N }).click();
      await p.waitForLoadState('load');
      expect(new URL(p.url()).pathname).toBe(`/dossiers/${N}`);
      await p.getByRole('heading', { level: 1, name: 'Suivi de ma demande de financement' }).waitFor();
      // A figure for the report (docs/web.md), never asserted: the machine is shared and loaded.
      const loadMs = Number(await p.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd"));
      console.info(`page de suivi chargée dans le navigateur en ${Math.round(loadMs)} ms (loadEventEnd)`);
      const h2 = await p.locator('main h2:visible').allInnerTexts();
      expect(h2).toEqual([
        'Votre demande de solde nécessite des modifications de votre part',
        'Récapitulatif',
        'Informations de la demande',
        'Coordonnées bancaires',
        'Pièces justificatives',
        'Courriels automatiques envoyés',
      ]);
      const banner = p.locator('#bandeau-modification');
      expect(await banner.innerText()).toContain('Merci de <b>corriger</b> le contact');
      expect(await banner.locator('b').count()).toBe(0);
      expect(await banner.getByRole('link', { name: 'Modifier' }).getAttribute('href')).toBe(
        `/dossiers/${N}/modification`,
      );
      const main = await p.locator('main').innerText();
      expect(main).toContain('GARAGE POULAT');
      expect(main).toContain(GARAGE_POULAT.siret);
      expect(main).toContain('FINSAS008539M1');
      expect(main).toContain('facture.pdf');
      expect(main).not.toContain('30006'); // the IBAN is masked, as in the API
      expect(await p.locator('table caption').allInnerTexts()).toEqual(
        expect.arrayContaining([expect.stringContaining('Pièces justificatives de la demande (4)')]),
      );
      await shoot(p, '02-suivi-a-modifier');
      await context.close();
    });

    it('answers a French 404 for another SIRET’s dossier and a 403 for the work queue', async () => {
      const context = await browser.newContext({ locale: 'fr-FR' });
      const p = await context.newPage();
      await signIn(p, 'fournisseur', GARAGE_POULAT.siret);
      const other = await p.goto(`${base}/dossiers/${OTHER_N}`);
      expect(other?.status()).toBe(404);
      await p.getByRole('heading', { level: 1, name: 'Dossier introuvable' }).waitFor();
      expect(await p.content()).not.toContain(OTHER_SIRET);
      // Still signed in on the error page: the header offers to sign out, not to sign in.
      await p.getByRole('button', { name: 'Se déconnecter' }).waitFor();
      await shoot(p, '03-dossier-introuvable');
      const queue = await p.goto(`${base}/gestion`);
      expect(queue?.status()).toBe(403);
      await p.getByRole('heading', { level: 1, name: 'Accès refusé' }).waitFor();
      await p.getByRole('button', { name: 'Se déconnecter' }).click();
      await p.waitForLoadState('load');
      expect((await context.cookies()).find((c) => c.name === 'segur_session')).toBeUndefined();
      expect(new URL(p.url()).pathname).toBe('/connexion');
      await context.close();
    });

    it('refuses an invalid SIRET at sign-in with an inline French error, and no session', async () => {
      const context = await browser.newContext({ locale: 'fr-FR' });
      const p = await context.newPage();
      await signIn(p, 'fournisseur', '12345678901234');
      expect(await p.locator('#siret-erreur').innerText()).toContain('SIRET valide');
      expect(await p.getByLabel('SIRET du fournisseur').getAttribute('aria-describedby')).toBe(
        'siret-erreur',
      );
      expect(await context.cookies()).toEqual([]);
      await shoot(p, '04-connexion-erreur');
      await context.close();
    });

    it('shows a gestionnaire the work queue by statut with the modification deadlines', async () => {
      const context = await browser.newContext({ locale: 'fr-FR' });
      const p = await context.newPage();
      await signIn(p, 'gestionnaire');
      expect(new URL(p.url()).pathname).toBe('/gestion');
      await p.getByRole('heading', { level: 1, name: 'File de travail' }).waitFor();
      const aModifier = p.locator('section[aria-labelledby="statut-A_MODIFIER"] tbody tr');
      expect(await aModifier.count()).toBe(1);
      const cells = await aModifier.first().locator('td').allInnerTexts();
      expect(cells[0]).toBe('GARAGE POULAT');
      expect(cells[3]).toMatch(/^\d{2}\/\d{2}\/\d{4}$/); // relance prévue
      expect(cells[4]).toMatch(/^\d{2}\/\d{2}\/\d{4}$/); // date limite
      const enCours = p.locator('section[aria-labelledby="statut-EN_COURS"] tbody tr');
      expect(await enCours.first().innerText()).toContain(OTHER_N);
      await shoot(p, '05-file-de-travail');
      // The back office opens any dossier, the other fournisseur's too.
      expect((await p.goto(`${base}/dossiers/${OTHER_N}`))?.status()).toBe(200);
      await context.close();
    });
  });

  describe('Development sign-in outside embedded mode', () => {
    let t: TestApp;
    beforeAll(async () => {
      // DATABASE_URL makes the mode "server"; the test's own SQL client is still the one used.
      t = await startTestApp({
        LOG_LEVEL: 'silent',
        DATABASE_URL: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
        WEBHOOK_SECRET_KEY: '4c'.repeat(32),
      });
    });
    afterAll(() => t?.close());

    it('is 404 (page and form post), and no session cookie is ever set', async () => {
      const page = await t.http().get('/connexion');
      expect(page.status).toBe(404);
      expect(page.text).toContain('Page introuvable');
      const post = await t.http().post('/connexion').type('form').send({ role: 'gestionnaire' });
      expect(post.status).toBe(404);
      expect(post.headers['set-cookie']).toBeUndefined();
      const home = await t.http().get('/');
      expect(home.status).toBe(200);
      expect(home.text).toContain('OpenID Connect');
    });
  });
}

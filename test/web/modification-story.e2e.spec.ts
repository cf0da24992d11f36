import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { sleep } from '@segur/kernel';
import { GARAGE_POULAT, seedSoldeEnCours } from '../support/seed-dossiers';
import { pdf, startTestApp, type TestApp } from '../support/test-app';
import { enrolGaragePoulat } from './enrol';
import {
  chromiumAvailable,
  launchChromium,
  screenshotDir,
  auditedScreenshot,
  skipWithoutChromium,
} from './chromium';

const N = GARAGE_POULAT.numeroAsp;
const NEW_CONTACT = 'support@garage-poulat.fr';
const DECLINED = 'FINSAS008541';

if (!chromiumAvailable()) {
  skipWithoutChromium();
} else {
  describe('The GARAGE POULAT modification story in Chromium (fournisseur side)', () => {
    let t: TestApp;
    let base: string;
    let browser: Browser;
    let context: BrowserContext;
    let p: Page;
    let oldPieceId: string;
    const shots = screenshotDir();

    /** A screenshot to look at, and axe-core's audit: no serious or critical violation (RGAA). */
    const shoot = (name: string, page: Page = p): Promise<void> =>
      auditedScreenshot(page, name, { dir: shots });

    const suiviJson = async (
      numeroAsp: string = N,
    ): Promise<{
      streamVersion: number;
      courriels: unknown[];
      recapitulatif: { statut: string };
      informations: { champsEditables: { field: string; value: string | null }[] };
    }> =>
      (await t.http().get(`/api/v1/dossiers/${numeroAsp}`).auth(t.token('gestionnaire'), { type: 'bearer' }))
        .body;

    /** A POST the way another site (or a script) would send it: no same-origin proof. */
    const postForm = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
      p.request.post(`${base}${path}`, { form, headers, maxRedirects: 0 });

    beforeAll(async () => {
      t = await startTestApp({ LOG_LEVEL: process.env.E2E_LOG ?? 'silent' }, { worker: true });
      await t.app.listen(0, '127.0.0.1');
      base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
      await enrolGaragePoulat(t);
      const seeded = await seedSoldeEnCours(t.infra);
      oldPieceId = seeded.pieces[3]!.pieceId;
      // The gestionnaire's request goes through the API here (its page is another slice).
      const requested = await t
        .http()
        .post(`/api/v1/dossiers/${N}/modification`)
        .auth(t.token('gestionnaire'), { type: 'bearer' })
        .send({ commentaire: 'Merci de corriger le contact support' });
      expect(requested.status).toBe(200);
      // A second dossier of the same fournisseur, for « Ne pas modifier ».
      await seedSoldeEnCours(t.infra, { numeroAsp: DECLINED });
      const second = await t
        .http()
        .post(`/api/v1/dossiers/${DECLINED}/modification`)
        .auth(t.token('gestionnaire'), { type: 'bearer' })
        .send({ commentaire: 'Merci de vérifier la facture' });
      expect(second.status).toBe(200);
      // The mail loop records its email on the dossier's stream: let it, so that the page's version
      // (its If-Match) is not overtaken while the test runs. Bounded by count, not by the clock.
      for (const n of [N, DECLINED]) {
        for (let i = 0; i < 500 && (await suiviJson(n)).courriels.length === 0; i++) await sleep(20);
        expect((await suiviJson(n)).courriels.length).toBeGreaterThan(0);
      }
      browser = await launchChromium();
      context = await browser.newContext({ locale: 'fr-FR' });
      p = await context.newPage();
      await p.goto(`${base}/connexion`);
      await p.locator('label[for="role-fournisseur"]').click();
      await p.getByLabel('SIRET du fournisseur').fill(GARAGE_POULAT.siret);
      await p.getByRole('button', { name: 'Se connecter' }).click();
      await p.waitForLoadState('load');
      console.info(`captures d’écran du parcours de modification : ${shots}`);
    });
    afterAll(async () => {
      await context?.close();
      await browser?.close();
      await t?.close();
    });

    it('shows the banner, and Modifier opens the form with the comment, the J+20 date and the fields', async () => {
      await p.goto(`${base}/dossiers/${N}`);
      await p.locator('#bandeau-modification').waitFor();
      await shoot('10-suivi-bandeau');
      await p.locator('#bandeau-modification').getByRole('link', { name: 'Modifier' }).click();
      await p.waitForLoadState('load');
      expect(new URL(p.url()).pathname).toBe(`/dossiers/${N}/modification`);
      await p.getByRole('heading', { level: 1, name: 'Modifier ma demande de solde' }).waitFor();
      const main = await p.locator('main').innerText();
      expect(main).toContain('Merci de corriger le contact support');
      expect(await p.locator('#date-limite').innerText()).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
      // The couloir's editable fields, from the read side (SAS: contactSupport only).
      const contact = p.locator('input[name="contactSupport"]');
      expect(await contact.count()).toBe(1);
      expect(await p.locator('main input[type="text"]').count()).toBe(1);
      expect(await p.locator('.fr-input-group--valid').count()).toBe(0);
      await shoot('11-modification');
    });

    it('refuses an invalid contact inline, in French, next to its field, and keeps what was typed', async () => {
      const before = (await suiviJson()).streamVersion;
      await p.locator('input[name="contactSupport"]').fill('pas un contact');
      await p.getByRole('button', { name: 'Enregistrer les modifications' }).click();
      await p.waitForLoadState('load');
      const group = p.locator('#champ-contactSupport-groupe');
      expect(await group.getAttribute('class')).toContain('fr-input-group--error');
      expect(await group.locator('.fr-error-text').innerText()).toMatch(/adresse email ou un lien https/);
      expect(await p.locator('input[name="contactSupport"]').inputValue()).toBe('pas un contact');
      expect(await p.locator('input[name="contactSupport"]').getAttribute('aria-describedby')).toBe(
        'champ-contactSupport-erreur',
      );
      await shoot('12-modification-erreur');
      expect((await suiviJson()).streamVersion).toBe(before);
    });

    it('saves the new contact, and shows it in green with the word « Modifié »', async () => {
      await p.locator('input[name="contactSupport"]').fill(NEW_CONTACT);
      await p.getByRole('button', { name: 'Enregistrer les modifications' }).click();
      await p.waitForLoadState('load');
      expect(await p.locator('#notice').innerText()).toContain('enregistrées');
      const group = p.locator('#champ-contactSupport-groupe');
      expect(await group.getAttribute('class')).toContain('fr-input-group--valid');
      expect(await group.locator('.fr-valid-text').innerText()).toContain('Modifié');
      expect(await group.locator('.fr-valid-text').innerText()).toContain(NEW_CONTACT);
      expect(await p.locator('input[name="contactSupport"]').inputValue()).toBe(NEW_CONTACT);
      // Green is the DSFR success colour (--text-default-success), on the message and the field.
      const colour = await group
        .locator('.fr-valid-text')
        .evaluate(
          (e) =>
            (globalThis as unknown as { getComputedStyle(el: unknown): { color: string } }).getComputedStyle(
              e,
            ).color,
        );
      expect(colour).toBe('rgb(24, 117, 60)');
      await shoot('13-modification-en-vert');
    });

    it('uploads a piece, offers to delete only that one, deletes it; the server refuses an old one', async () => {
      await p.locator('#piece-type').selectOption('AUTRE_S');
      await p.locator('#piece-fichier').setInputFiles({
        name: 'attestation-complementaire.pdf',
        mimeType: 'application/pdf',
        buffer: pdf('complement'),
      });
      await p.getByRole('button', { name: 'Importer' }).click();
      await p.waitForLoadState('load');
      expect(await p.locator('#notice').innerText()).toContain('pièce est ajoutée');
      const rows = p.locator('#tableau-pieces tbody tr');
      expect(await rows.count()).toBe(5);
      const deletable = p.locator('#tableau-pieces').getByRole('button', { name: /Supprimer/ });
      expect(await deletable.count()).toBe(1);
      expect(
        await p
          .locator('#tableau-pieces tbody tr', { hasText: 'attestation-complementaire.pdf' })
          .innerText(),
      ).toContain('FINSAS008539M1');
      // The earlier pieces have no button at all.
      expect(
        await p.locator('#tableau-pieces tbody tr', { hasText: 'facture.pdf' }).locator('button').count(),
      ).toBe(0);
      await shoot('14-modification-piece-ajoutee');

      // A file that is not a PDF: the API's own check, shown next to the file field.
      await p.locator('#piece-type').selectOption('AUTRE_S');
      await p.locator('#piece-fichier').setInputFiles({
        name: 'note.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('pas un pdf'),
      });
      await p.getByRole('button', { name: 'Importer' }).click();
      await p.waitForLoadState('load');
      expect(await p.locator('#piece-fichier-erreur').innerText()).toContain('fichiers PDF');
      expect(await rows.count()).toBe(5);

      await deletable.click();
      await p.waitForLoadState('load');
      expect(await p.locator('#notice').innerText()).toContain('supprimée');
      expect(await rows.count()).toBe(4);
      expect(await p.locator('#tableau-pieces button').count()).toBe(0);

      // No button for an earlier piece, and the server refuses it anyway, with the page's own Origin.
      const version = String((await suiviJson()).streamVersion);
      const refused = await postForm(
        `/dossiers/${N}/modification/pieces/${oldPieceId}/suppression`,
        { version },
        { Origin: base },
      );
      expect(refused.status()).toBe(409);
      expect(await refused.text()).toContain('ne pouvez pas supprimer');
      expect((await suiviJson()).streamVersion).toBe(Number(version));
    });

    it('refuses a form posted from another site (or without Origin) and changes nothing', async () => {
      const before = (await suiviJson()).streamVersion;
      const version = String(before);
      const foreign = await postForm(
        `/dossiers/${N}/modification`,
        { version, contactSupport: 'pirate@example.com' },
        { Origin: 'https://malveillant.example' },
      );
      expect(foreign.status()).toBe(403);
      expect(await foreign.text()).toContain('Envoi refusé');
      const noOrigin = await postForm(`/dossiers/${N}/modification/confirmation`, { version });
      expect(noOrigin.status()).toBe(403);
      expect((await suiviJson()).streamVersion).toBe(before);
    });

    it('shows a French conflict message when the dossier changed since the page was displayed', async () => {
      const stale = await context.newPage();
      await stale.goto(`${base}/dossiers/${N}/modification`);
      // Another tab saves first…
      await p.goto(`${base}/dossiers/${N}/modification`);
      await p.locator('input[name="contactSupport"]').fill(`x${NEW_CONTACT}`);
      await p.getByRole('button', { name: 'Enregistrer les modifications' }).click();
      await p.waitForLoadState('load');
      expect(await p.locator('#notice').innerText()).toContain('enregistrées');
      // …then the stale tab, whose hidden version is the previous one, is refused (If-Match).
      await stale.locator('input[name="contactSupport"]').fill(NEW_CONTACT);
      const response = stale.waitForResponse((r) => r.request().method() === 'POST');
      await stale.getByRole('button', { name: 'Enregistrer les modifications' }).click();
      expect((await response).status()).toBe(412);
      await stale.waitForLoadState('load');
      expect(await stale.locator('#erreur').innerText()).toContain(
        'a changé depuis l’affichage de cette page',
      );
      // The page now shows the latest draft, to check before trying again.
      expect(await stale.locator('input[name="contactSupport"]').inputValue()).toBe(`x${NEW_CONTACT}`);
      await shoot('15-modification-conflit', stale);
      await stale.locator('input[name="contactSupport"]').fill(NEW_CONTACT);
      await stale.getByRole('button', { name: 'Enregistrer les modifications' }).click();
      await stale.waitForLoadState('load');
      expect(await stale.locator('#notice').innerText()).toContain('enregistrées');
      await stale.close();
    });

    it('confirms: the suivi page shows the new version, and Historique shows both versions', async () => {
      await p.goto(`${base}/dossiers/${N}/modification`);
      await p.getByRole('button', { name: 'Confirmer' }).click();
      await p.waitForLoadState('load');
      expect(new URL(p.url()).pathname).toBe(`/dossiers/${N}`);
      // A figure for the report (docs/web.md), never asserted: the machine is shared and loaded.
      const loadMs = Number(await p.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd"));
      console.info(
        `page de suivi (après Confirmer) chargée dans le navigateur en ${Math.round(loadMs)} ms (loadEventEnd)`,
      );
      expect(await p.locator('#notice').innerText()).toContain('envoyées au gestionnaire');
      expect(await p.locator('#bandeau-modification').count()).toBe(0);
      const current = p.locator('#panneau-version-actuelle');
      expect(await current.innerText()).toContain(NEW_CONTACT);
      expect(await current.innerText()).toContain('FINSAS008539M1');
      expect(await p.locator('main .fr-badge').first().innerText()).toMatch(/en cours/i);
      await shoot('16-suivi-nouvelle-version');

      await p.getByRole('tab', { name: 'Historique' }).click();
      const history = p.locator('#panneau-historique');
      await history.locator('#version-FINSAS008539M1').waitFor({ state: 'visible' });
      expect(await history.locator('section.version h3').allInnerTexts()).toEqual([
        expect.stringContaining('FINSAS008539M1 — Modifications confirmées'),
        expect.stringContaining('FINSAS008539 — Demande déposée'),
      ]);
      const m1 = await history.locator('#version-FINSAS008539M1').innerText();
      expect(m1).toMatch(/version actuelle/i);
      expect(m1).toContain(NEW_CONTACT);
      expect(m1).toContain('Merci de corriger le contact support');
      await shoot('17-suivi-historique');

      // The same tab by link, as without script.
      await p.goto(`${base}/dossiers/${N}?onglet=historique`);
      expect(await p.locator('#onglet-historique').getAttribute('aria-selected')).toBe('true');

      // The draft is gone: the modification page now says there is nothing to modify.
      const after = await p.goto(`${base}/dossiers/${N}/modification`);
      expect(after?.status()).toBe(409);
      await p.getByRole('heading', { level: 1, name: 'Modification impossible' }).waitFor();
      expect((await suiviJson()).recapitulatif.statut).toBe('EN_COURS');
    });

    it('« Ne pas modifier » sends the dossier back unchanged, with its notice', async () => {
      await p.goto(`${base}/dossiers/${DECLINED}/modification`);
      await p.getByRole('button', { name: 'Ne pas modifier' }).click();
      await p.waitForLoadState('load');
      expect(new URL(p.url()).pathname).toBe(`/dossiers/${DECLINED}`);
      expect(await p.locator('#notice').innerText()).toContain('sans modification');
      expect(await p.locator('#bandeau-modification').count()).toBe(0);
      const statut = await t
        .http()
        .get(`/api/v1/dossiers/${DECLINED}`)
        .auth(t.token('gestionnaire'), { type: 'bearer' });
      expect(statut.body.recapitulatif.statut).toBe('EN_COURS');
      await p.goto(`${base}/dossiers/${DECLINED}?onglet=historique`);
      expect(await p.locator('#version-FINSAS008541M1').innerText()).toContain('Non modifiée');
    });
  });
}

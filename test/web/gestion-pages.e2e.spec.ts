import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { seedSoldeEnCours } from '../support/seed-dossiers';
import { tamperEventData } from '../support/tamper-events';
import { startTestApp, type TestApp } from '../support/test-app';
import {
  chromiumAvailable,
  launchChromium,
  screenshotDir,
  auditedScreenshot,
  skipWithoutChromium,
} from './chromium';

// Dossiers EN_COURS in phase SOLDE, of distinct SIRETs: one to validate, one to meet a
// concurrent change, one to watch live.
const A = { numeroAsp: 'FINSAS100001', siret: '79256844600019', numeroAns: 'gesSAS0001' };
const B = { numeroAsp: 'FINSAS100002', siret: '80125271900415', numeroAns: 'gesSAS0002' };
const C = { numeroAsp: 'FINSAS100003', siret: '73282932000074', numeroAns: 'gesSAS0003' };
// A fourth, whose stored events are tampered with in SQL for the journal's integrity badge.
const D = { numeroAsp: 'FINSAS100004', siret: '44306184100047', numeroAns: 'gesSAS0004' };

if (!chromiumAvailable()) {
  skipWithoutChromium();
} else {
  describe('Back-office pages in Chromium: instruction, timeline, reporting, live notices', () => {
    let t: TestApp;
    let base: string;
    let browser: Browser;
    const shots = screenshotDir();

    const shoot = (p: Page, name: string): Promise<void> =>
      auditedScreenshot(p, name, { dir: shots, measure: true });

    const signedIn = async (role: string, siret?: string): Promise<{ context: BrowserContext; p: Page }> => {
      const context = await browser.newContext({ locale: 'fr-FR' });
      const p = await context.newPage();
      await p.goto(`${base}/connexion`);
      await p.locator(`label[for="role-${role}"]`).click();
      if (siret) await p.getByLabel('SIRET du fournisseur').fill(siret);
      await p.getByRole('button', { name: 'Se connecter' }).click();
      await p.waitForLoadState('load');
      return { context, p };
    };

    /** The session cookie of a role, for plain HTTP requests. */
    const cookie = (role: string, siret?: string): string =>
      `segur_session=${t.token(role as never, siret, `dev-${role}`)}`;

    const statutOf = async (numeroAsp: string): Promise<string> => {
      const r = await t
        .http()
        .get(`/api/v1/dossiers/${numeroAsp}`)
        .auth(t.token('gestionnaire'), { type: 'bearer' });
      return String(r.body.recapitulatif.statut);
    };

    beforeAll(async () => {
      t = await startTestApp({ LOG_LEVEL: process.env.E2E_LOG ?? 'silent' }, { worker: true });
      await t.app.listen(0, '127.0.0.1');
      base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
      for (const d of [A, B, C, D]) await seedSoldeEnCours(t.infra, d);
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
      await t?.close();
    });

    it('lets a gestionnaire validate a dossier from the work queue, with inline French errors first', async () => {
      const { context, p } = await signedIn('gestionnaire');
      await p.goto(`${base}/gestion`);
      await p.getByRole('link', { name: A.numeroAsp }).click();
      await p.waitForLoadState('load');
      expect(new URL(p.url()).pathname).toBe(`/gestion/dossiers/${A.numeroAsp}`);
      await p.getByRole('heading', { level: 1, name: `Instruction du dossier ${A.numeroAsp}` }).waitFor();
      // Only what the domain allows a gestionnaire on a solde EN_COURS.
      const forms = await p.locator('section[aria-labelledby="actions"] h3').allInnerTexts();
      expect(forms).toEqual(['Demander une modification', 'Valider le solde', 'Rejeter le solde']);
      // The proposal pre-fills the amounts.
      expect(await p.getByLabel(/Solde décidé/).inputValue()).toMatch(/^\d+,\d{2}$/);
      await shoot(p, '10-gestion-instruction');

      // An empty comment: refused by the domain, shown on its field, nothing recorded.
      await p.getByRole('button', { name: 'Demander la modification' }).click();
      await p.waitForLoadState('load');
      const commentError = p.locator('#modification-commentaire-erreur');
      await commentError.waitFor();
      expect(await commentError.innerText()).toMatch(/commentaire/i);
      expect(await p.getByLabel(/Commentaire pour le fournisseur/).getAttribute('aria-invalid')).toBe('true');
      expect(await statutOf(A.numeroAsp)).toBe('EN_COURS');
      await shoot(p, '11-gestion-erreur-commentaire');

      // An amount that is not one: the DTO's own message, on the field.
      await p.getByLabel(/Engagement SEGUR retenu/).fill('beaucoup');
      await p.getByRole('button', { name: 'Valider', exact: true }).click();
      await p.waitForLoadState('load');
      expect(await p.locator('#validation-engagementRetenu-erreur').innerText()).toContain(
        'engagementRetenu : nombre avec au plus deux décimales attendu',
      );
      expect(await p.getByLabel(/Engagement SEGUR retenu/).inputValue()).toBe('beaucoup');
      expect(await statutOf(A.numeroAsp)).toBe('EN_COURS');

      await p.getByLabel(/Engagement SEGUR retenu/).fill('100 000,00');
      await p.getByLabel(/Solde décidé/).fill('70000,00');
      await p.getByRole('button', { name: 'Valider', exact: true }).click();
      await p.waitForLoadState('load');
      await p.getByText('Le solde est validé.').waitFor();
      expect(await p.locator('#statut-dossier').innerText()).toMatch(/valid/i);
      const after = await p.locator('section[aria-labelledby="actions"] h3').allInnerTexts();
      expect(after).toEqual(['Enregistrer le paiement du solde', 'Émettre un ordre de recouvrement']);
      expect(await statutOf(A.numeroAsp)).toBe('VALIDEE');
      const decided = await t
        .http()
        .get(`/api/v1/dossiers/${A.numeroAsp}`)
        .auth(t.token('auditeur'), { type: 'bearer' });
      expect(decided.body.informations.montants.soldeDecide.formatted).toBe('70000,00');
      await shoot(p, '12-gestion-valide');
      await context.close();
    });

    it('refuses a form built on an older version of the dossier (expected version), changing nothing', async () => {
      const { context, p } = await signedIn('gestionnaire');
      await p.goto(`${base}/gestion/dossiers/${B.numeroAsp}`);
      // Meanwhile, another gestionnaire asks for a modification through the API.
      const r = await t
        .http()
        .post(`/api/v1/dossiers/${B.numeroAsp}/modification`)
        .auth(t.token('gestionnaire'), { type: 'bearer' })
        .send({ commentaire: 'Pièce illisible' });
      expect(r.status).toBe(200);
      await p.getByLabel('Motif du rejet').fill('VA non conforme');
      await p.getByRole('button', { name: 'Rejeter', exact: true }).click();
      await p.waitForLoadState('load');
      await p.getByText('Le dossier a changé depuis l’affichage de cette page').waitFor();
      expect(await statutOf(B.numeroAsp)).toBe('A_MODIFIER');
      await shoot(p, '13-gestion-conflit');
      await context.close();
    });

    it('refuses a form posted from another site, or by a role that does not instruct, before reading it', async () => {
      const foreign = await t
        .http()
        .post(`/gestion/dossiers/${C.numeroAsp}/rejet`)
        .set('Cookie', cookie('gestionnaire'))
        .set('Origin', 'https://ailleurs.example')
        .type('form')
        .send({ motif: 'forgé', version: '5' });
      expect(foreign.status).toBe(403);
      expect(foreign.text).toContain('ne provient pas de ce site');
      const noOrigin = await t
        .http()
        .post(`/gestion/dossiers/${C.numeroAsp}/rejet`)
        .set('Cookie', cookie('gestionnaire'))
        .type('form')
        .send({ motif: 'forgé', version: '5' });
      expect(noOrigin.status).toBe(403);
      const auditeur = await t
        .http()
        .post(`/gestion/dossiers/${C.numeroAsp}/rejet`)
        .set('Cookie', cookie('auditeur'))
        .set('Origin', base)
        .type('form')
        .send({ motif: 'forgé', version: '5' });
      expect(auditeur.status).toBe(403);
      expect(auditeur.text).toContain('Seul un gestionnaire');
      const anonymous = await t
        .http()
        .post(`/gestion/dossiers/${C.numeroAsp}/rejet`)
        .set('Origin', base)
        .type('form')
        .send({ motif: 'forgé' });
      expect(anonymous.status).toBe(303);
      expect(await statutOf(C.numeroAsp)).toBe('EN_COURS');
    });

    it('shows an auditeur the timeline, filters it by type and actor, expands an envelope and exports CSV and JSON', async () => {
      const { context, p } = await signedIn('auditeur');
      await p.goto(`${base}/dossiers/${A.numeroAsp}/journal`);
      await p
        .getByRole('heading', { level: 1, name: `Journal des événements du dossier ${A.numeroAsp}` })
        .waitFor();
      const rows = p.locator('#journal tbody tr');
      const all = await rows.count();
      expect(all).toBeGreaterThanOrEqual(4);
      const integrite = p.locator('#integrite');
      expect(await integrite.getAttribute('data-integrite')).toBe('integre');
      expect(await integrite.innerText()).toMatch(
        new RegExp(`^Chaîne intègre : les ${all} événements du dossier .*jusqu’à la version ${all}`),
      );
      await shoot(p, '20-journal');

      await p.getByLabel('Type d’événement').selectOption('SoldeValidated');
      await p.getByRole('button', { name: 'Filtrer' }).click();
      await p.waitForLoadState('load');
      expect(await rows.count()).toBe(1);
      const row = rows.first();
      expect(await row.innerText()).toContain('dev-gestionnaire');
      await row.locator('summary').click();
      const envelope = JSON.parse(await row.locator('pre').innerText()) as {
        type: string;
        metadata: { correlationId: string; actor: { role: string } };
      };
      expect(envelope.type).toBe('SoldeValidated');
      expect(envelope.metadata.actor.role).toBe('gestionnaire');
      expect(envelope.metadata.correlationId).toBeTruthy();
      await shoot(p, '21-journal-filtre');

      await p.goto(
        `${base}/dossiers/${A.numeroAsp}/journal?acteur=${encodeURIComponent('gestionnaire:dev-gestionnaire')}`,
      );
      expect(await rows.count()).toBe(1);
      await p.getByLabel('Acteur').selectOption('');
      await p.getByRole('button', { name: 'Filtrer' }).click();
      await p.waitForLoadState('load');
      expect(await rows.count()).toBe(all);

      const [download] = await Promise.all([
        p.waitForEvent('download'),
        p.getByRole('link', { name: 'Exporter en CSV' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`journal-${A.numeroAsp}.csv`);
      const csv = readFileSync(await download.path(), 'utf8');
      const lines = csv
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      expect(lines[0]).toBe(
        'Position;Version du flux;Enregistré le;Type;Acteur;Rôle;Corrélation;Cause;Identifiant;Données',
      );
      expect(lines).toHaveLength(all + 1);
      expect(csv).toContain(';SoldeValidated;dev-gestionnaire;gestionnaire;');

      const json = await t
        .http()
        .get(`/dossiers/${A.numeroAsp}/journal.json?type=SoldeValidated`)
        .set('Cookie', cookie('auditeur'));
      expect(json.status).toBe(200);
      expect(json.headers['content-disposition']).toContain('attachment');
      expect(JSON.parse(json.text).events.map((e: { type: string }) => e.type)).toEqual(['SoldeValidated']);
      // Same authorisation as the API's events route: not for a fournisseur, even of this SIRET.
      const fournisseur = await t
        .http()
        .get(`/dossiers/${A.numeroAsp}/journal.csv`)
        .set('Cookie', cookie('fournisseur', A.siret));
      expect(fournisseur.status).toBe(403);
      await context.close();
    });

    it('shows an auditeur the first broken link of a timeline tampered with in the database', async () => {
      const tampered = await tamperEventData(t.infra.sql, D.numeroAsp, 2);
      const { context, p } = await signedIn('auditeur');
      await p.goto(`${base}/dossiers/${D.numeroAsp}/journal`);
      const integrite = p.locator('#integrite');
      expect(await integrite.getAttribute('data-integrite')).toBe('rompue');
      const alert = integrite.getByRole('alert');
      expect(await alert.getByRole('heading', { level: 2 }).innerText()).toBe('Chaîne rompue');
      const said = (await alert.innerText()).replace(/\s+/g, ' ');
      expect(said).toContain(
        `Premier maillon rompu : l’événement version 2, type ${tampered.type}, identifiant ${tampered.eventId}`,
      );
      expect(said).toContain('Le contenu de cet événement a été modifié');
      // The timeline itself still shows every event, the tampered one with its new data.
      const row = p.locator('#journal tbody tr').nth(1);
      await row.locator('summary').click();
      expect(await row.locator('pre').innerText()).toContain(tampered.after);
      await shoot(p, '22-journal-rompu');
      await context.close();
    });

    it('renders the reporting page: counts by statut and couloir, rounds over time, rates, charts with their tables', async () => {
      const { context, p } = await signedIn('auditeur');
      await p.getByRole('link', { name: 'Rapports' }).click();
      await p.waitForLoadState('load');
      await p.getByRole('heading', { level: 1, name: 'Rapports' }).waitFor();
      const statut = await p.locator('#tableau-statut').innerText();
      expect(statut).toMatch(/Valid/);
      expect(statut).toMatch(/A modifier/i);
      expect(await p.locator('#tableau-couloir').innerText()).toContain('SAS');
      expect(await p.locator('#tableau-mois tbody tr').count()).toBeGreaterThanOrEqual(1);
      expect(await p.locator('#tableau-taux').innerText()).toMatch(/Taux d’expiration/);
      expect(await p.locator('figure svg rect').count()).toBeGreaterThanOrEqual(3);
      await shoot(p, '30-rapports');
      const csv = await t.http().get('/rapports/synthese.csv').set('Cookie', cookie('gestionnaire'));
      expect(csv.status).toBe(200);
      expect(csv.text).toContain('Couloir;Phase;Statut');
      const assistance = await t.http().get('/rapports').set('Cookie', cookie('assistance'));
      expect(assistance.status).toBe(403);
      await context.close();
    });

    it('shows a second browser the statut change live, after a change made through the API', async () => {
      const supplier = await signedIn('fournisseur', C.siret);
      await supplier.p.goto(`${base}/dossiers/${C.numeroAsp}`);
      const agent = await signedIn('gestionnaire');
      await agent.p.goto(`${base}/gestion`);
      const badge = supplier.p.locator('[data-direct-zone="suivi"] #recapitulatif + div .fr-badge');
      expect(await badge.innerText()).toMatch(/en cours/i);

      const r = await t
        .http()
        .post(`/api/v1/dossiers/${C.numeroAsp}/validation`)
        .auth(t.token('gestionnaire'), { type: 'bearer' })
        .send({});
      expect(r.status).toBe(200);

      // Bounded waits for the notice, never a measured delay.
      await supplier.p.locator('#direct').getByText('Ce dossier a changé').waitFor({ timeout: 15_000 });
      await supplier.p
        .locator('[data-direct-zone="suivi"] #recapitulatif + div .fr-badge', { hasText: /valid/i })
        .waitFor({ timeout: 15_000 });
      // The whole suivi zone is rebuilt: the amounts are no longer "proposé".
      await supplier.p
        .getByRole('rowheader', { name: 'Solde décidé', exact: true })
        .waitFor({ timeout: 15_000 });
      await shoot(supplier.p, '40-suivi-en-direct');
      await agent.p.locator('#direct').getByText('Des dossiers ont changé').waitFor({ timeout: 15_000 });
      await shoot(agent.p, '41-file-en-direct');
      await supplier.context.close();
      await agent.context.close();
    });

    it('serves the live feed only to whom may see the dossier', async () => {
      const other = await t
        .http()
        .get(`/flux/dossiers/${C.numeroAsp}`)
        .set('Cookie', cookie('fournisseur', A.siret));
      expect(other.status).toBe(404);
      const none = await t.http().get(`/flux/dossiers/${C.numeroAsp}`);
      expect(none.status).toBe(401);
      const queue = await t.http().get('/flux/gestion').set('Cookie', cookie('fournisseur', C.siret));
      expect(queue.status).toBe(403);
    });
  });
}

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { freePort } from '@segur/platform';
import { GARAGE_POULAT, seedSoldeEnCours } from '../support/seed-dossiers';
import { startTestApp, type TestApp } from '../support/test-app';
import {
  auditedScreenshot,
  chromiumAvailable,
  launchChromium,
  screenshotDir,
  skipWithoutChromium,
} from './chromium';

const N = GARAGE_POULAT.numeroAsp;
const OTHER_SIRET = '80125271900415';
const OTHER_N = 'FINSAS008540';
const CLIENT_ID = 'segur-portail';

/** oidc-provider in its own process (it is ESM-only); resolves with its issuer once it listens. */
const startProvider = async (redirectUri: string): Promise<{ issuer: string; child: ChildProcess }> => {
  const child = spawn(
    process.execPath,
    [join(__dirname, 'support', 'oidc-provider.mjs'), CLIENT_ID, redirectUri],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`fournisseur OIDC arrêté (${code}) : ${stderr}`)));
  });
  return { issuer: (JSON.parse(line) as { issuer: string }).issuer, child };
};

if (!chromiumAvailable()) skipWithoutChromium();
else {
  describe('OpenID Connect sign-in of the web pages, against a real local provider (oidc-provider)', () => {
    let t: TestApp;
    let base: string;
    let issuer: string;
    let provider: ChildProcess;
    let browser: Browser;
    const shots = screenshotDir();
    const shoot = async (p: Page, name: string, audit = true): Promise<void> => {
      // The provider's own development pages are not ours to audit: screenshot only.
      if (audit) return auditedScreenshot(p, name, { dir: shots });
      await p.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
    };

    /** The provider's login then consent pages (devInteractions), as a person would fill them. */
    const signIn = async (p: Page, login: string, shotPrefix?: string): Promise<void> => {
      await p.goto(`${base}/`);
      await p.getByRole('link', { name: 'Se connecter' }).first().click();
      await p.locator('input[name="login"]').waitFor();
      expect(new URL(p.url()).origin).toBe(issuer);
      if (shotPrefix) await shoot(p, `${shotPrefix}-fournisseur-identite-connexion`, false);
      await p.locator('input[name="login"]').fill(login);
      await p.locator('input[name="password"]').fill('mot-de-passe');
      await p.getByRole('button', { name: 'Sign-in' }).click();
      await p.getByRole('button', { name: 'Continue' }).waitFor();
      if (shotPrefix) await shoot(p, `${shotPrefix}-fournisseur-identite-consentement`, false);
      await p.getByRole('button', { name: 'Continue' }).click();
      // Server-side redirects only: the first page of ours to load is where the sign-in ends.
      await p.waitForURL((u) => u.origin === base);
    };
    const sessionOf = async (c: BrowserContext): Promise<string | undefined> =>
      (await c.cookies()).find((k) => k.name === 'segur_session')?.value;

    beforeAll(async () => {
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      ({ issuer, child: provider } = await startProvider(`${base}/connexion/retour`));
      t = await startTestApp(
        {
          LOG_LEVEL: process.env.E2E_LOG ?? 'silent',
          OIDC_ISSUER: issuer,
          OIDC_CLIENT_ID: CLIENT_ID,
          OIDC_SCOPES: 'openid segur',
          JWT_JWKS_URL: `${issuer}/jwks`,
          JWT_ISSUER: issuer,
          JWT_AUDIENCE: CLIENT_ID,
        },
        { worker: true, jwks: true },
      );
      await t.app.listen(port, '127.0.0.1');
      await seedSoldeEnCours(t.infra);
      await seedSoldeEnCours(t.infra, { numeroAsp: OTHER_N, siret: OTHER_SIRET, numeroAns: 'autreANS01' });
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
      await t?.close();
      provider?.kill('SIGTERM');
    });

    it('sends /connexion to the provider with PKCE S256, state and nonce kept in a short-lived HttpOnly cookie', async () => {
      const res = await t.http().get('/connexion');
      expect(res.status).toBe(303);
      const to = new URL(res.headers.location as string);
      expect(`${to.origin}${to.pathname}`).toBe(`${issuer}/auth`);
      expect(Object.fromEntries(to.searchParams)).toMatchObject({
        client_id: CLIENT_ID,
        response_type: 'code',
        scope: 'openid segur',
        redirect_uri: `${base}/connexion/retour`,
        code_challenge_method: 'S256',
      });
      for (const p of ['state', 'nonce', 'code_challenge']) expect(to.searchParams.get(p)).toMatch(/^.{43}$/);
      const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).join('\n');
      expect(cookie).toMatch(/^segur_oidc=.*; Max-Age=600; Path=\/connexion; .*HttpOnly; SameSite=Lax/);
    });

    it('signs a fournisseur in at the provider: Mes dossiers of its SIRET, and the API accepts the same token', async () => {
      const context = await browser.newContext({ locale: 'fr-FR' });
      const p = await context.newPage();
      await signIn(p, `fournisseur-${GARAGE_POULAT.siret}`, '50');
      expect(new URL(p.url()).pathname).toBe('/mes-dossiers');
      const session = (await context.cookies()).find((c) => c.name === 'segur_session');
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
      expect((await context.cookies()).some((c) => c.name === 'segur_oidc')).toBe(false);

      // The session is the provider's ID token, and the API's JWKS mode accepts it as a bearer token.
      const claims = JSON.parse(Buffer.from(session!.value.split('.')[1]!, 'base64url').toString()) as Record<
        string,
        unknown
      >;
      expect(claims).toMatchObject({ iss: issuer, aud: CLIENT_ID, segur_role: 'fournisseur' });
      const own = await t.http().get(`/api/v1/dossiers/${N}`).auth(session!.value, { type: 'bearer' });
      expect(own.status).toBe(200);
      const other = await t
        .http()
        .get(`/api/v1/dossiers/${OTHER_N}`)
        .auth(session!.value, { type: 'bearer' });
      expect(other.status).toBe(404);

      // The projection has caught up (the API answered from it): the page lists the dossier.
      await p.reload();
      await p.getByRole('heading', { level: 1, name: 'Mes dossiers' }).waitFor();
      const rows = p.locator('table tbody tr');
      expect(await rows.count()).toBe(1);
      expect(await rows.first().innerText()).toContain(N);
      expect(await p.content()).not.toContain(OTHER_N);
      expect(await p.locator('.fr-header').innerText()).toContain(`SIRET ${GARAGE_POULAT.siret}`);
      await shoot(p, '52-oidc-mes-dossiers');

      // Sign-out: back on the home page, which does not bounce to the provider (whose session would
      // sign the person straight back in).
      await p.getByRole('button', { name: 'Se déconnecter' }).click();
      await p.getByRole('heading', { level: 1, name: 'Suivi des demandes de financement' }).waitFor();
      expect(new URL(p.url()).pathname).toBe('/');
      expect(await sessionOf(context)).toBeUndefined();
      await shoot(p, '53-oidc-accueil-deconnecte');
      await context.close();
    });

    it('signs a gestionnaire in: the work queue', async () => {
      const context = await browser.newContext({ locale: 'fr-FR' });
      const p = await context.newPage();
      const started = Date.now();
      await signIn(p, 'gestionnaire');
      console.info(
        `connexion OIDC (accueil → fournisseur → consentement → file de travail) en ${Date.now() - started} ms`,
      );
      expect(new URL(p.url()).pathname).toBe('/gestion');
      await p.getByRole('heading', { level: 1 }).first().waitFor();
      expect(await p.locator('.fr-header').innerText()).toContain('Gestionnaire');
      await shoot(p, '54-oidc-file-de-travail');
      await context.close();
    });

    it('refuses an account without a role here: French 403 page, no session', async () => {
      const context = await browser.newContext({ locale: 'fr-FR' });
      const p = await context.newPage();
      await signIn(p, 'inconnu');
      expect(new URL(p.url()).pathname).toBe('/connexion/retour');
      await p.getByRole('heading', { level: 1, name: 'Accès refusé' }).waitFor();
      expect(await p.content()).toContain('pas de rôle sur ce portail');
      expect(await sessionOf(context)).toBeUndefined();
      await shoot(p, '55-oidc-sans-role');
      await context.close();
    });

    it('refuses a forged state before any call to the provider, and a return without its cookie', async () => {
      const agent = t.http();
      const started = await agent.get('/connexion');
      const state = new URL(started.headers.location as string).searchParams.get('state');
      expect(state).toBeTruthy();
      const forged = await agent
        .get('/connexion/retour')
        .query({ code: 'volé', state: `${state}x`, iss: issuer });
      expect(forged.status).toBe(400);
      expect(forged.text).toContain('Connexion refusée');
      expect(forged.text).toContain('ne correspond pas à la connexion commencée ici');
      expect(String(forged.headers['set-cookie'] ?? '')).not.toMatch(/segur_session=[^;]/);
      // The pending cookie is spent even by a refused return: the right state does not work after.
      const replay = await agent.get('/connexion/retour').query({ code: 'volé', state, iss: issuer });
      expect(replay.status).toBe(400);
      expect(replay.text).toContain('Connexion expirée');
      expect(String(replay.headers['set-cookie'] ?? '')).not.toMatch(/segur_session=[^;]/);
    });

    it('refuses a code the provider never issued (French page, no session)', async () => {
      const agent = t.http();
      const started = await agent.get('/connexion');
      const state = new URL(started.headers.location as string).searchParams.get('state');
      const res = await agent.get('/connexion/retour').query({ code: 'inventé', state, iss: issuer });
      expect(res.status).toBe(401);
      expect(res.text).toContain('Connexion impossible');
      expect(String(res.headers['set-cookie'] ?? '')).not.toMatch(/segur_session=[^;]/);
    });

    it('has no development sign-in when OIDC is configured, even in embedded mode', async () => {
      expect(t.infra.config.embedded).toBe(true);
      const post = await t.http().post('/connexion').type('form').send({ role: 'gestionnaire' });
      expect(post.status).toBe(404);
      expect(post.headers['set-cookie']).toBeUndefined();
    });
  });
}

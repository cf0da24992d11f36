import type { ParsedMail } from 'mailparser';
import { startSmtpSink } from '../../../libs/notifications/src/testing/smtp-sink';
import { seedSoldeEnCours } from '../../support/seed-dossiers';
import { openSharedTestDatabase, type SharedTestDatabase } from '../../support/shared-test-database';
import { pdf, startTestApp, type TestApp } from '../../support/test-app';
import {
  CHAMP_SAS,
  COMMENTAIRE,
  EXPIREE,
  FOURNISSEUR_EMAIL,
  DAY,
  PAST_DUE,
  RELANCE,
  SimulatedTime,
  deadlineStatuses,
  enrolFournisseur,
  eventsOfType,
  fournisseurToken,
  mailsFor,
  requestModification,
  settled,
  waitFor,
} from './deadline-harness';
import { loadDossier } from '@segur/commands';

/** One database with its own timers: what a deployment (or a test) owns. */
export interface TimerEnvironment {
  env: Record<string, string>;
  /** Only a mode with a timer cache (BullMQ) has these. */
  cache?: {
    holds(jobId: string): Promise<boolean>;
    /** Deletes every key of the environment; returns how many. */
    wipe(): Promise<number>;
  };
}

export interface DeadlineMode {
  label: string;
  /** Has a timer cache that can lose its state (Redis), hence the wipe scenario. */
  timerCache: boolean;
  environment(): TimerEnvironment;
  teardown(): Promise<void>;
}

let sequence = 8540;
/** Unique in the file: the SMTP sink is shared and emails are told apart by numéro ASP. */
const nextNumeroAsp = (): string => `FINSAS${String(++sequence).padStart(6, '0')}`;

/**
 * The J+10 / J+20 story at application level, written once and run for each timer mode: HTTP app and
 * worker in process, real SMTP server, PostgreSQL when TEST_DATABASE_URL is set.
 */
export const describeDeadlineScenarios = (mode: DeadlineMode): void => {
  describe(`Échéances J+10 / J+20 de bout en bout (${mode.label})`, () => {
    let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
    let db: SharedTestDatabase;
    let main: TimerEnvironment;
    let t: TestApp;
    const opened: { db: SharedTestDatabase; apps: TestApp[] }[] = [];

    // The engine's and the database's clocks of the main instance, moved together by the tests.
    const time = new SimulatedTime();
    const appEnv = (env: TimerEnvironment, extra: Record<string, string> = {}): Record<string, string> => ({
      MODIFICATION_REMINDER_AFTER: 'P10D',
      MODIFICATION_EXPIRY_AFTER: 'P20D',
      SMTP_URL: smtp.url,
      DEADLINES_RECONCILE_INTERVAL: 'PT0.5S',
      LOG_LEVEL: process.env.E2E_LOG ?? 'silent',
      ...env.env,
      ...extra,
    });
    const mails = (numeroAsp: string, kind: string): ParsedMail[] => mailsFor(smtp.received, numeroAsp, kind);

    const expectFiredOnce = async (app: TestApp, numeroAsp: string): Promise<void> => {
      expect(await eventsOfType(app, numeroAsp, 'ModificationReminderSent')).toBe(1);
      expect(await eventsOfType(app, numeroAsp, 'ModificationExpired')).toBe(1);
      expect(mails(numeroAsp, RELANCE)).toHaveLength(1);
      expect(mails(numeroAsp, EXPIREE)).toHaveLength(1);
      const recorded = (await app.infra.store.readStream(`dossier-${numeroAsp}`))
        .filter((e) => e.type === 'EmailSent')
        .map((e) => (e.data as { template: string }).template)
        .sort();
      expect(recorded).toEqual(['MODIFICATION_DEMANDEE', 'MODIFICATION_EXPIREE', 'MODIFICATION_RELANCE']);
    };

    /** Instances stop before their database goes: what a test opened is gone before the next one. */
    const closeOpened = async (): Promise<void> => {
      for (const o of opened.splice(0)) {
        for (const app of o.apps) await app.close().catch(() => undefined);
        await o.db.teardown();
      }
    };

    beforeAll(async () => {
      smtp = await startSmtpSink();
    });

    afterAll(async () => {
      await closeOpened();
      await mode.teardown();
      await smtp?.close();
    });

    describe('une instance (API + worker dans le même processus)', () => {
      beforeAll(async () => {
        db = await openSharedTestDatabase('e2e_deadlines');
        main = mode.environment();
        t = await startTestApp(appEnv(main), { worker: true, database: db, clock: time });
        opened.push({ db, apps: [t] });
        await enrolFournisseur(t);
      });

      // Closed before the multi-instance scenarios: PostgreSQL connections are shared with other suites.
      afterAll(closeOpened);

      describe('un tour de modification laissé sans réponse', () => {
        let numeroAsp: string;
        const draftContact = 'brouillon@garage-poulat.fr';

        beforeAll(async () => {
          numeroAsp = nextNumeroAsp();
          await seedSoldeEnCours(t.infra, { numeroAsp });
          await requestModification(t, numeroAsp);
          // A draft the expiry must discard: an edited field and an added piece.
          const edit = await t
            .http()
            .patch(`/api/v1/dossiers/${numeroAsp}/modification`)
            .auth(fournisseurToken(t), { type: 'bearer' })
            .send({ contactSupport: draftContact });
          expect(edit.status).toBe(200);
          const added = await t
            .http()
            .post(`/api/v1/dossiers/${numeroAsp}/modification/pieces`)
            .auth(fournisseurToken(t), { type: 'bearer' })
            .field('type', 'AUTRE_S')
            .attach('file', pdf('brouillon'), 'piece-du-brouillon.pdf');
          expect(added.status).toBe(201);
        });

        it('J+10 : le courriel de relance arrive et reprend le commentaire du gestionnaire et les données à modifier', async () => {
          expect(mails(numeroAsp, RELANCE)).toHaveLength(0);
          await time.passes(db.admin, 10 * DAY + PAST_DUE);
          await waitFor('le courriel de relance', () => mails(numeroAsp, RELANCE).length > 0);
          const [relance] = mails(numeroAsp, RELANCE);
          expect(relance?.to).toMatchObject({ value: [{ address: FOURNISSEUR_EMAIL }] });
          expect(relance?.text).toContain(COMMENTAIRE);
          expect(relance?.text).toContain(CHAMP_SAS);
          expect(relance?.html).toContain('test modif');
          expect(await eventsOfType(t, numeroAsp, 'ModificationReminderSent')).toBe(1);
        });

        it('J+20 : retour « En cours », brouillon abandonné, modification refusée (409 MODIFICATION_EXPIREE), courriel d’expiration', async () => {
          expect(await eventsOfType(t, numeroAsp, 'ModificationExpired')).toBe(0);
          await time.passes(db.admin, 10 * DAY);
          await waitFor(
            'l’expiration du tour',
            async () => (await eventsOfType(t, numeroAsp, 'ModificationExpired')) === 1,
          );
          const token = fournisseurToken(t);
          // The expiry's own position, not the store's head: the head stays behind a transaction
          // still in flight, so it may not cover an event already read.
          const stream = await t.infra.store.readStream(`dossier-${numeroAsp}`);
          const position = stream.find((e) => e.type === 'ModificationExpired')?.position ?? '';
          const page = await t
            .http()
            .get(`/api/v1/dossiers/${numeroAsp}`)
            .auth(token, { type: 'bearer' })
            .set('X-Min-Position', position);
          expect(page.status).toBe(200);
          expect(page.body.recapitulatif).toMatchObject({ statut: 'EN_COURS', statutLabel: 'En cours' });
          expect(page.body.modification).toBeNull();
          expect(JSON.stringify(page.body.informations.champsEditables)).not.toContain(draftContact);
          expect(JSON.stringify(page.body.pieces)).not.toContain('piece-du-brouillon.pdf');
          const { state } = await loadDossier(t.infra.store, t.infra.decider, numeroAsp);
          expect(state.statut).toBe('EN_COURS');
          expect(state.openRound).toBeNull();

          const before = (await t.infra.store.readStream(`dossier-${numeroAsp}`)).length;
          const edit = await t
            .http()
            .patch(`/api/v1/dossiers/${numeroAsp}/modification`)
            .auth(token, { type: 'bearer' })
            .send({ contactSupport: 'trop-tard@garage-poulat.fr' });
          expect({ status: edit.status, code: edit.body.code }).toEqual({
            status: 409,
            code: 'MODIFICATION_EXPIREE',
          });
          expect((await t.infra.store.readStream(`dossier-${numeroAsp}`)).length).toBe(before);

          await waitFor('le courriel d’expiration', () => mails(numeroAsp, EXPIREE).length > 0);
          const [expiree] = mails(numeroAsp, EXPIREE);
          expect(expiree?.to).toMatchObject({ value: [{ address: FOURNISSEUR_EMAIL }] });
          expect(expiree?.text).toContain('instruite en l’état');
          const versions = await t
            .http()
            .get(`/api/v1/dossiers/${numeroAsp}/versions`)
            .auth(token, { type: 'bearer' })
            .set('X-Min-Position', position);
          expect(versions.body.versions).toEqual(
            expect.arrayContaining([expect.objectContaining({ version: 'M1', outcome: 'expired' })]),
          );
        });
      });

      it('aucune relance quand le tour est confirmé avant J+10 (témoin : un tour ouvert après, lui, relancé)', async () => {
        const confirmed = nextNumeroAsp();
        const witness = nextNumeroAsp();
        await seedSoldeEnCours(t.infra, { numeroAsp: confirmed });
        await seedSoldeEnCours(t.infra, { numeroAsp: witness });
        await requestModification(t, confirmed);
        await t
          .http()
          .patch(`/api/v1/dossiers/${confirmed}/modification`)
          .auth(fournisseurToken(t), { type: 'bearer' })
          .send({ contactSupport: 'support@garage-poulat.fr' })
          .expect(200);
        await t
          .http()
          .post(`/api/v1/dossiers/${confirmed}/modification/submit`)
          .auth(fournisseurToken(t), { type: 'bearer' })
          .expect(200);
        // Both rounds past J+10: once the witness's reminder is out, the confirmed one was due too.
        await requestModification(t, witness);
        await time.passes(db.admin, 10 * DAY + PAST_DUE);
        await waitFor('la relance du tour témoin', () => mails(witness, RELANCE).length > 0);

        expect(await eventsOfType(t, confirmed, 'ModificationReminderSent')).toBe(0);
        expect(mails(confirmed, RELANCE)).toHaveLength(0);
        expect(await deadlineStatuses(t.infra.sql, confirmed)).toEqual({
          REMINDER: 'CANCELLED',
          EXPIRY: 'CANCELLED',
        });
      });

      if (mode.timerCache) {
        it('Redis vidé : le rapprochement remet les minuteurs en file, ils partent une seule fois', async () => {
          const cache = main.cache;
          if (!cache) throw new Error('mode sans cache de minuteurs');
          const numeroAsp = nextNumeroAsp();
          await seedSoldeEnCours(t.infra, { numeroAsp });
          await requestModification(t, numeroAsp);
          // The J+20 timer: the latest one, still waiting when Redis loses it even on a slow machine.
          const expiryJob = `expiry-${numeroAsp}-M1`;
          await waitFor('le minuteur J+20 dans Redis', () => cache.holds(expiryJob));
          expect(await cache.wipe()).toBeGreaterThan(0);
          await waitFor('le minuteur remis en file par le rapprochement', () => cache.holds(expiryJob));
          // J+10, then J+20 (past J+20 a reminder does nothing: each is crossed in turn).
          await time.passes(db.admin, 10 * DAY + PAST_DUE);
          await waitFor(
            'la relance',
            async () => (await deadlineStatuses(t.infra.sql, numeroAsp)).REMINDER === 'FIRED',
          );
          await time.passes(db.admin, 10 * DAY);

          await waitFor('les deux échéances', async () => {
            const s = await deadlineStatuses(t.infra.sql, numeroAsp);
            return s.REMINDER === 'FIRED' && s.EXPIRY === 'FIRED';
          });
          await waitFor('plus rien à déclencher ni à envoyer', () => settled(t, [numeroAsp]));
          await expectFiredOnce(t, numeroAsp);
        });
      }
    });

    describe('arrêts, redémarrages et plusieurs instances', () => {
      afterEach(closeOpened);

      /** A second environment (database + timers) for scenarios that stop and start instances. */
      const isolatedEnvironment = async (): Promise<{
        env: TimerEnvironment;
        db: SharedTestDatabase;
        time: SimulatedTime;
        start: (extra?: Record<string, string>) => Promise<TestApp>;
        stop: (app: TestApp) => Promise<void>;
      }> => {
        const env = mode.environment();
        const own = { db: await openSharedTestDatabase('e2e_deadlines'), apps: [] as TestApp[] };
        const ownTime = new SimulatedTime();
        opened.push(own);
        return {
          env,
          db: own.db,
          time: ownTime,
          start: async (extra) => {
            const app = await startTestApp(appEnv(env, extra), {
              worker: true,
              database: own.db,
              clock: ownTime,
            });
            own.apps.push(app);
            return app;
          },
          stop: async (app) => {
            own.apps.splice(own.apps.indexOf(app), 1);
            await app.close();
          },
        };
      };

      it('worker arrêté pendant que les échéances tombent : elles partent au redémarrage, une seule fois', async () => {
        const e = await isolatedEnvironment();
        const first = await e.start();
        await enrolFournisseur(first);
        const numeroAsp = nextNumeroAsp();
        await seedSoldeEnCours(first.infra, { numeroAsp });
        await requestModification(first, numeroAsp);
        await waitFor(
          'les échéances du tour',
          async () => Object.keys(await deadlineStatuses(e.db.admin, numeroAsp)).length === 2,
        );
        await e.stop(first);
        // J+10 goes by while no instance runs.
        await e.time.passes(e.db.admin, 10 * DAY + PAST_DUE);
        // Nobody ran while it fell due.
        expect(await deadlineStatuses(e.db.admin, numeroAsp)).toEqual({
          REMINDER: 'PENDING',
          EXPIRY: 'PENDING',
        });
        expect(mails(numeroAsp, RELANCE)).toHaveLength(0);

        const second = await e.start();
        await waitFor('la relance après redémarrage', () => mails(numeroAsp, RELANCE).length > 0);
        await e.time.passes(e.db.admin, 10 * DAY);
        await waitFor('l’expiration après redémarrage', () => mails(numeroAsp, EXPIREE).length > 0);
        await waitFor('plus rien à déclencher ni à envoyer', () => settled(second, [numeroAsp]));
        await expectFiredOnce(second, numeroAsp);
      }, 180_000);

      it('deux workers sur la même base et les mêmes minuteurs : chaque échéance part une seule fois', async () => {
        const e = await isolatedEnvironment();
        // One after the other: the first one creates the schema (migrations are not meant to race).
        const a = await e.start();
        const b = await e.start();
        await enrolFournisseur(a);
        const dossiers = [nextNumeroAsp(), nextNumeroAsp(), nextNumeroAsp(), nextNumeroAsp()];
        for (const [i, numeroAsp] of dossiers.entries()) {
          const app = i % 2 === 0 ? a : b;
          await seedSoldeEnCours(app.infra, { numeroAsp });
          await requestModification(app, numeroAsp);
        }
        await e.time.passes(e.db.admin, 10 * DAY + PAST_DUE);
        await waitFor('toutes les relances', async () => {
          const r = await e.db.admin.query<{ n: string }>(
            `SELECT count(*) AS n FROM deadlines WHERE status = 'FIRED' AND kind = 'REMINDER'`,
          );
          return Number(r.rows[0]?.n) === dossiers.length;
        });
        await e.time.passes(e.db.admin, 10 * DAY);
        await waitFor('toutes les expirations', async () => {
          const r = await e.db.admin.query<{ n: string }>(
            `SELECT count(*) AS n FROM deadlines WHERE status = 'FIRED'`,
          );
          return Number(r.rows[0]?.n) === dossiers.length * 2;
        });
        await waitFor('plus rien à déclencher ni à envoyer', () => settled(a, dossiers));
        for (const numeroAsp of dossiers) await expectFiredOnce(a, numeroAsp);
      }, 180_000);
    });
  });
};

import type { ParsedMail } from 'mailparser';
import { dossierStreamId } from '@segur/domain';
import { comparePositions, type SqlClient } from '@segur/event-store';
import type { Clock } from '@segur/kernel';
import type { TestApp } from '../../support/test-app';
import { GARAGE_POULAT } from '../../support/seed-dossiers';

export const FOURNISSEUR_EMAIL = 'contact@garage-poulat.fr';
export const COMMENTAIRE = 'test modif : merci de corriger le lien vers la plateforme de support';
export const CHAMP_SAS =
  'Coordonnées de contact ou lien vers la plateforme de support à destination des Régulateurs ou Effecteurs';

export const DAY = 24 * 3_600_000;
/**
 * Past a deadline by this much: more than the reconciler's grace (PT2M by default), so a timer
 * cache (Redis) that still holds the original delay is overtaken by the table, as in production.
 */
export const PAST_DUE = 5 * 60_000;

/**
 * Simulated time for the J+10 / J+20 story with the real durations (P10D / P20D). Two clocks decide
 * there: the engine's (a draft edit after J+20 is refused) and the database's (a deadline is claimed
 * and its command decided at the database's now()). Both move together: the engine's through the
 * injected Clock, the database's through a now() (and clock_timestamp()) defined in the test's own
 * schema, which the search path puts before pg_catalog. Nothing waits for a deadline to fall due,
 * so no step has to finish "before J+10" on a loaded machine.
 */
export class SimulatedTime implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** `ms` pass for the engine and for the database behind `sql`. */
  async passes(sql: SqlClient, ms: number): Promise<void> {
    this.offsetMs += ms;
    const shift = `interval '${Math.trunc(this.offsetMs)} milliseconds'`;
    await sql.query(
      `CREATE OR REPLACE FUNCTION now() RETURNS timestamptz LANGUAGE sql STABLE
         AS $$ SELECT pg_catalog.now() + ${shift} $$`,
    );
    await sql.query(
      `CREATE OR REPLACE FUNCTION clock_timestamp() RETURNS timestamptz LANGUAGE sql VOLATILE
         AS $$ SELECT pg_catalog.clock_timestamp() + ${shift} $$`,
    );
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A bounded poll: waits for something to happen, never asserts how long it took. */
export const waitFor = async (
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> => {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`attendu en vain pendant ${timeoutMs} ms : ${what}`);
    await sleep(100);
  }
};

/** Emails are matched by dossier through the subject (every template names the numéro ASP). */
export const mailsFor = (received: ParsedMail[], numeroAsp: string, subjectPart: string): ParsedMail[] =>
  received.filter((m) => (m.subject ?? '').includes(numeroAsp) && (m.subject ?? '').includes(subjectPart));

export const RELANCE = 'Rappel';
export const EXPIREE = 'délai de modification expiré';

export const eventsOfType = async (t: TestApp, numeroAsp: string, type: string): Promise<number> =>
  (await t.infra.store.readStream(dossierStreamId(numeroAsp))).filter((e) => e.type === type).length;

export const deadlineStatuses = async (
  sql: SqlClient,
  numeroAsp: string,
): Promise<Record<string, string>> => {
  const r = await sql.query<{ kind: string; status: string }>(
    `SELECT kind, status FROM deadlines WHERE numero_asp = $1`,
    [numeroAsp],
  );
  return Object.fromEntries(r.rows.map((row) => [row.kind, row.status]));
};

/**
 * Nothing left to fire, to project or to send for these dossiers: the moment to count what
 * happened, duplicates included. The projections matter: a firer marks its row FIRED before the
 * outbox has seen the event. Their last events' positions, not the store's head: the head stays
 * behind a transaction still in flight.
 */
export const settled = async (t: TestApp, numeroAsps: readonly string[]): Promise<boolean> => {
  const r = await t.infra.sql.query<{ pending: string }>(
    `SELECT (SELECT count(*) FROM deadlines WHERE status = 'PENDING' AND numero_asp = ANY($1::text[]))
          + (SELECT count(*) FROM email_outbox WHERE status = 'PENDING' AND numero_asp = ANY($1::text[])) AS pending`,
    [numeroAsps],
  );
  if (Number(r.rows[0]?.pending ?? 1) !== 0) return false;
  const checkpoints = await t.infra.sql.query<{ position: string | null }>(
    'SELECT position FROM projection_checkpoints',
  );
  for (const numeroAsp of numeroAsps) {
    const last = (await t.infra.store.readStream(dossierStreamId(numeroAsp))).at(-1)?.position ?? null;
    if (checkpoints.rows.some((c) => comparePositions(c.position, last) < 0)) return false;
  }
  return true;
};

/** The fournisseur needs an email address for the automatic emails to have a recipient. */
export const enrolFournisseur = async (t: TestApp): Promise<void> => {
  const res = await t
    .http()
    .put(`/api/v1/fournisseurs/${GARAGE_POULAT.siret}`)
    .auth(t.token('assistance'), { type: 'bearer' })
    .send({
      numeroAns: GARAGE_POULAT.numeroAns,
      denominationSociale: GARAGE_POULAT.denominationSociale,
      adresse: { ligne: '0 cour DE MONS', codePostal: '59650', commune: 'VILLENEUVE D ASCQ' },
      email: FOURNISSEUR_EMAIL,
      iban: 'FR7630006000011234567890189',
      bic: 'AGRIFRPP882',
    });
  if (res.status !== 200 && res.status !== 201)
    throw new Error(`enrôlement refusé : ${res.status} ${JSON.stringify(res.body)}`);
};

export const requestModification = async (t: TestApp, numeroAsp: string): Promise<void> => {
  const res = await t
    .http()
    .post(`/api/v1/dossiers/${numeroAsp}/modification`)
    .auth(t.token('gestionnaire'), { type: 'bearer' })
    .send({ commentaire: COMMENTAIRE });
  if (res.status !== 200) throw new Error(`demande de modification refusée : ${JSON.stringify(res.body)}`);
};

export const fournisseurToken = (t: TestApp): string => t.token('fournisseur', GARAGE_POULAT.siret);

import { createTestSqlClient, type TestSqlClient } from '@segur/event-store';
import { getSuivi } from '../../queries/suivi.query';
import { rebuildProjection } from '../../rebuild';
import { ProjectionRunner } from '../../runner/projection-runner';
import {
  appendSteps,
  POULAT,
  POULAT_FOURNISSEUR,
  poulatEditContact,
  poulatRequestM1,
  poulatSubmit,
  poulatUntilSolde,
} from '../../testing/garage-poulat.fixture';
import { InMemoryEventStore } from '../../testing/test-event-store';
import { upsertFournisseur } from '../fournisseurs/fournisseurs.read-model';
import { createSuiviProjection } from './suivi.projection';

// PGlite boots in seconds on a busy 2-core machine.
jest.setTimeout(30_000);

describe(`suivi read model, GARAGE POULAT (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let t: TestSqlClient;
  let store: InMemoryEventStore;
  let runner: ProjectionRunner;
  const fournisseur = { role: 'fournisseur' as const, sirets: [POULAT.siret] };
  const now = new Date('2023-08-08T12:00:00.000Z');

  beforeAll(async () => {
    t = await createTestSqlClient('proj_suivi');
    store = new InMemoryEventStore();
    runner = new ProjectionRunner(t.client, store, [createSuiviProjection()], {
      batchWindowMs: 2,
      pollIntervalMs: 20,
    });
    await runner.migrate();
    await upsertFournisseur(t.client, POULAT_FOURNISSEUR);
    runner.start();
  });
  afterAll(async () => {
    await runner.stop();
    await store.close();
    await t.teardown();
  });

  const sync = async (position: string): Promise<void> => {
    expect(await runner.waitForPosition(position, 5000)).toBe(true);
  };

  it('shows the seed page while A_MODIFIER', async () => {
    await sync(await appendSteps(store, [...poulatUntilSolde(), ...poulatRequestM1()]));
    const page = await getSuivi(t.client, POULAT.numeroAsp, fournisseur, { now });
    expect(page).not.toBeNull();
    expect(page!.recapitulatif).toEqual({
      numeroAns: 'pbrSAS0012',
      siret: '79256844600019',
      denominationSociale: 'GARAGE POULAT',
      adresse: { ligne: '0 cour DE MONS', codePostal: '59650', commune: 'VILLENEUVE D ASCQ' },
      adresseAffichee: '0 cour DE MONS , 59650, VILLENEUVE D ASCQ',
      numeroDossier: 'FINSAS008539',
      dateDepot: '16/02/2023',
      phase: 'SOLDE',
      phaseLabel: 'Demande de solde',
      statut: 'A_MODIFIER',
      statutLabel: 'A modifier',
      dateChangementStatut: '07/08/2023',
      statusChangedAt: '2023-08-07T08:00:00.000Z',
    });
    expect(page!.informations).toEqual({
      numeroAspVersion: 'FINSAS008539M1',
      dsr: 'DSR-SAS-SAS-Va1',
      montants: {
        avanceDecide: { cents: 0, formatted: '0,00' },
        engagementRetenu: { cents: 10_000_000, formatted: '100000,00' },
        soldeDecide: { cents: 7_000_000, formatted: '70000,00' },
        proposes: true,
      },
      champsEditables: [
        {
          field: 'contactSupport',
          label:
            'Coordonnées de contact ou lien vers la plateforme de support à destination des Régulateurs ou Effecteurs',
          value: 'pascal.breton@axyus.com',
        },
      ],
    });
    expect(page!.coordonneesBancaires).toEqual({
      iban: '**** **** **** **** **** ***0 189',
      bic: 'AGRIFRPPXXX',
    });
    expect(page!.modification).toMatchObject({
      bandeau: 'Votre demande de solde nécessite des modifications de votre part',
      commentaire: 'test modif',
      version: 'M1',
      draft: { diff: [], pieces: [] },
    });
    expect(page!.pieces.map((p) => [p.nomFichier, p.type, p.addedInVersion, p.canDelete])).toEqual([
      ['PHA-LGO-Va1-VA-00001.pdf', 'VA', 'FINSAS008539', false],
      ['facture.pdf', 'FACTURE', 'FINSAS008539', false],
    ]);
    expect(page!.courriels).toEqual([
      expect.objectContaining({ template: 'MODIFICATION_DEMANDEE', dateEnvoi: '07/08/2023' }),
    ]);
    expect(page!.allowedActions).toEqual(['modifier', 'ajouter_piece', 'confirmer', 'ne_pas_modifier']);
    expect(page!.streamVersion).toBe(5);
  });

  it('shows the draft diff (the data in green) and the draft piece as deletable', async () => {
    await sync(await appendSteps(store, poulatEditContact()));
    const page = await getSuivi(t.client, POULAT.numeroAsp, fournisseur, { now });
    expect(page!.modification!.draft.diff).toEqual([
      {
        field: 'contactSupport',
        label: expect.any(String),
        from: 'pascal.breton@axyus.com',
        to: 'test123@gmail.com',
      },
    ]);
    expect(page!.informations.champsEditables[0]!.value).toBe('pascal.breton@axyus.com');
    expect(page!.pieces.at(-1)).toMatchObject({
      nomFichier: 'complement.pdf',
      addedInVersion: 'FINSAS008539M1',
      canDelete: true,
    });
    expect(page!.allowedActions).toContain('supprimer_piece');
  });

  it('after submit: EN_COURS, version M1 current, new contact, no banner', async () => {
    await sync(await appendSteps(store, poulatSubmit()));
    const page = await getSuivi(t.client, POULAT.numeroAsp, { role: 'gestionnaire' }, { now });
    expect(page!.recapitulatif.statut).toBe('EN_COURS');
    expect(page!.recapitulatif.statutLabel).toBe('En cours');
    expect(page!.recapitulatif.dateChangementStatut).toBe('09/08/2023');
    expect(page!.informations.numeroAspVersion).toBe('FINSAS008539M1');
    expect(page!.informations.champsEditables[0]!.value).toBe('test123@gmail.com');
    expect(page!.modification).toBeNull();
    expect(page!.pieces.at(-1)).toMatchObject({ nomFichier: 'complement.pdf', canDelete: false });
    expect(page!.allowedActions).toEqual(['demander_modification', 'valider', 'rejeter']);
  });

  it('answers null for another fournisseur and for an unknown dossier (404, never 403)', async () => {
    expect(
      await getSuivi(t.client, POULAT.numeroAsp, { role: 'fournisseur', sirets: ['80125271900415'] }),
    ).toBeNull();
    expect(await getSuivi(t.client, POULAT.numeroAsp, { role: 'fournisseur' })).toBeNull();
    expect(await getSuivi(t.client, 'FINSAS000001', { role: 'auditeur' })).toBeNull();
  });

  it('keeps serving the (prepared) page across a rebuild that turns a jsonb state column into json', async () => {
    // A live table from before the state became json, read by the page on the pooled connections.
    await t.client.query('ALTER TABLE suivi_dossiers ALTER COLUMN state TYPE jsonb USING state::jsonb');
    const gestionnaire = { role: 'gestionnaire' as const };
    const before = await getSuivi(t.client, POULAT.numeroAsp, gestionnaire, { now });
    for (let i = 0; i < 4; i++) await getSuivi(t.client, POULAT.numeroAsp, gestionnaire, { now });
    const r = await rebuildProjection(t.client, store, createSuiviProjection(), { fresh: true });
    expect(r.swapped).toBe(true);
    const type = await t.client.query<{ t: string }>(
      `SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute
        WHERE attrelid = 'suivi_dossiers'::regclass AND attname = 'state'`,
    );
    expect(type.rows[0]?.t).toBe('json');
    // A prepared `s.state` would now fail with "cached plan must not change result type".
    for (let i = 0; i < 5; i++)
      expect(await getSuivi(t.client, POULAT.numeroAsp, gestionnaire, { now })).toEqual(before);
  });
});

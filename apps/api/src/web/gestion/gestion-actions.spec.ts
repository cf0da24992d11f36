import type { Issuer } from '@segur/commands';
import { ProblemError } from '../../http/problem';
import { gestionActionOf, GESTION_ACTIONS } from './gestion-actions';

const issuer: Issuer = {
  actor: { id: 'g1', role: 'gestionnaire' },
  context: { commandId: 'c', correlationId: 'k', causationId: null },
};
const N = 'FINSAS000001';
const dataOf = (slug: string, values: Record<string, string>): unknown =>
  (gestionActionOf(slug)!.command(N, values)(issuer) as unknown as { data: unknown }).data;
const problemOf = (slug: string, values: Record<string, string>): ProblemError => {
  try {
    gestionActionOf(slug)!.command(N, values);
  } catch (e) {
    if (e instanceof ProblemError) return e;
    throw e;
  }
  throw new Error('aucune erreur');
};

describe('gestionnaire actions of the pages: the JSON routes’ DTOs and readers on form values', () => {
  it('offers one form per gestionnaire action of the domain, each with its own slug', () => {
    expect(GESTION_ACTIONS.map((a) => a.action)).toEqual([
      'enregistrer_paiement_avance',
      'demander_modification',
      'valider',
      'rejeter',
      'enregistrer_paiement_solde',
      'emettre_ordre_recouvrement',
    ]);
    expect(new Set(GESTION_ACTIONS.map((a) => a.slug)).size).toBe(GESTION_ACTIONS.length);
  });

  it('reads French amounts (spaces, comma) as cents; empty amounts are the proposal', () => {
    expect(dataOf('validation', { engagementRetenu: '100 000,00', soldeDecide: '70000.5' })).toEqual({
      numeroAsp: N,
      engagementRetenuCents: 10_000_000,
      soldeDecideCents: 7_000_050,
    });
    expect(dataOf('validation', { engagementRetenu: '', soldeDecide: '' })).toEqual({
      numeroAsp: N,
      engagementRetenuCents: null,
      soldeDecideCents: null,
    });
    expect(dataOf('paiement-solde', { datePaiement: '15/06/2023', montant: '' })).toEqual({
      numeroAsp: N,
      datePaiement: '2023-06-15',
      montantCents: null,
    });
  });

  it('refuses what the API refuses, with its messages and field paths', () => {
    const amount = problemOf('validation', { engagementRetenu: 'beaucoup', soldeDecide: '1,234' });
    expect(amount.status).toBe(400);
    expect([...new Set(amount.errors?.map((e) => e.path))].sort()).toEqual([
      'engagementRetenu',
      'soldeDecide',
    ]);
    expect(amount.errors?.map((e) => e.message)).toContain(
      'engagementRetenu : nombre avec au plus deux décimales attendu',
    );
    expect(problemOf('recouvrement', { montant: '', motif: 'x' }).errors?.[0]?.path).toBe('montant');
    expect(problemOf('recouvrement', { montant: '0', motif: 'x' }).errors?.[0]?.message).toContain(
      'strictement positif',
    );
    expect(problemOf('rejet', { motif: '   ' }).errors?.[0]).toMatchObject({
      path: 'motif',
      code: 'CHAMP_INVALIDE',
    });
    expect(problemOf('paiement-avance', { datePaiement: '2023-06-15' }).errors?.[0]?.path).toBe(
      'datePaiement',
    );
    expect(problemOf('modification', { commentaire: 'x'.repeat(4001) }).errors?.[0]?.path).toBe(
      'commentaire',
    );
  });
});

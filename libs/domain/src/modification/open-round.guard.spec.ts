import { given } from '../testing/given-when-then';
import {
  ACTORS,
  command,
  event,
  POULAT,
  POULAT_A_MODIFIER,
  POULAT_AT,
  poulatSoldeValidated,
} from '../testing/seed-fixtures';

// MOD-4, the guard every draft action shares, seen through "Modifier" (EditModificationDraft).
const edit = (at: string) =>
  command(
    'EditModificationDraft',
    { numeroAsp: POULAT.numeroAsp, fields: { contactSupport: 'test123@gmail.com' } },
    ACTORS.poulat,
    at,
  );
const expired = event('ModificationExpired', {
  numeroAsp: POULAT.numeroAsp,
  version: 'M1',
  expiredAt: POULAT_AT.expiry,
});
const validated = poulatSoldeValidated;
const rejectedDuringRound = event('SoldeRejected', {
  numeroAsp: POULAT.numeroAsp,
  motif: 'VA non signée',
  gestionnaireId: ACTORS.gestionnaire.id,
  rejectedAt: '2023-08-08T07:00:00.000Z',
});

describe('requireEditableRound', () => {
  it('MOD-4: after an expired round, MODIFICATION_EXPIREE only while the solde is back EN_COURS: once validated, the plain STATUT_INCOMPATIBLE', () => {
    const history = [...POULAT_A_MODIFIER, expired, validated];
    expect(given(...history).state()).toMatchObject({ statut: 'VALIDEE', lastRoundOutcome: 'expired' });
    expect(
      given(...history)
        .when(edit('2023-08-22T08:00:00.000Z'))
        .thenFails('STATUT_INCOMPATIBLE').message,
    ).toBe(
      'Modification impossible : la demande de solde est au statut « Validée » ; il faut une demande de solde « A modifier »',
    );
  });

  // Evolve loads any stream and leaves consistency to the decider: a round still open on a solde
  // that is no longer A_MODIFIER comes only from a stream the decider does not produce.
  it('MOD-4: an open round before its J+20 is not editable once the statut is no longer A_MODIFIER: STATUT_INCOMPATIBLE, not MODIFICATION_EXPIREE', () => {
    const history = [...POULAT_A_MODIFIER, rejectedDuringRound];
    expect(given(...history).state()).toMatchObject({ statut: 'REJETEE', openRound: { version: 'M1' } });
    expect(
      given(...history)
        .when(edit(POULAT_AT.edit))
        .thenFails('STATUT_INCOMPATIBLE').message,
    ).toBe(
      'Modification impossible : la demande de solde est au statut « Rejetée » ; il faut une demande de solde « A modifier »',
    );
  });
});

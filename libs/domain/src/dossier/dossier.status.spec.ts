import { statutIncompatible } from './dossier.status';

describe('statutIncompatible (DOS-3)', () => {
  it('says where the dossier stands and what the action needs', () => {
    expect(
      statutIncompatible(
        'Validation',
        { phase: 'SOLDE', statut: 'A_MODIFIER' },
        'une demande de solde « En cours »',
      ),
    ).toEqual({
      code: 'STATUT_INCOMPATIBLE',
      message:
        'Validation impossible : la demande de solde est au statut « A modifier » ; il faut une demande de solde « En cours »',
    });
  });

  it.each([
    { phase: null, statut: null },
    { phase: 'AVANCE', statut: null },
    { phase: null, statut: 'EN_COURS' },
  ] as const)('says the request does not exist when phase or statut is missing (%p)', (current) => {
    expect(statutIncompatible('Rejet', current, 'une demande de solde « En cours »').message).toBe(
      "Rejet impossible : la demande n'existe pas ; il faut une demande de solde « En cours »",
    );
  });
});

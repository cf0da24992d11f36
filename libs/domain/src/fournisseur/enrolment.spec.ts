import { decideEnrolment, foldEnrolment, fournisseurStreamId, type FournisseurEvent } from './enrolment';

const SIRET = '79256844600019';
const AT = '2023-08-01T08:00:00.000Z';
const values = {
  numeroAns: 'pbrSAS0012',
  email: 'compta@poulat.fr',
  iban: 'FR7630006000011234567890189',
  bic: 'BNPAFRPPXXX',
};

const history = (...events: FournisseurEvent[]) => foldEnrolment(events);

describe('Enrolment history (ENR-1)', () => {
  it('a first enrolment is recorded whole', () => {
    expect(decideEnrolment(SIRET, null, values, AT, { fromStream: false })).toEqual([
      { type: 'FournisseurEnrolled', data: { siret: SIRET, values, enrolledAt: AT } },
    ]);
  });

  it('a change records each changed field with its previous value, and only those', () => {
    const current = history({ type: 'FournisseurEnrolled', data: { siret: SIRET, values, enrolledAt: AT } });
    const next = { ...values, iban: 'FR7610107001011234567890129', email: 'autre@poulat.fr' };
    expect(decideEnrolment(SIRET, current, next, AT, { fromStream: true })).toEqual([
      {
        type: 'FournisseurEnrolmentChanged',
        data: {
          siret: SIRET,
          changedAt: AT,
          changes: [
            { field: 'email', from: 'compta@poulat.fr', to: 'autre@poulat.fr' },
            { field: 'iban', from: values.iban, to: 'FR7610107001011234567890129' },
          ],
        },
      },
    ]);
  });

  it('lists the changes by field name, fields added or removed included', () => {
    const { email, ...withoutEmail } = values;
    const next = {
      ...withoutEmail,
      iban: 'FR7610107001011234567890129',
      bic: 'AGRIFRPPXXX',
      'adresse.commune': 'Lyon',
    };
    expect(decideEnrolment(SIRET, values, next, AT, { fromStream: true })).toEqual([
      {
        type: 'FournisseurEnrolmentChanged',
        data: {
          siret: SIRET,
          changedAt: AT,
          changes: [
            { field: 'adresse.commune', from: null, to: 'Lyon' },
            { field: 'bic', from: values.bic, to: 'AGRIFRPPXXX' },
            { field: 'email', from: email, to: null },
            { field: 'iban', from: values.iban, to: 'FR7610107001011234567890129' },
          ],
        },
      },
    ]);
  });

  it('the same enrolment again records nothing', () => {
    const current = history({ type: 'FournisseurEnrolled', data: { siret: SIRET, values, enrolledAt: AT } });
    expect(decideEnrolment(SIRET, current, values, AT, { fromStream: true })).toEqual([]);
  });

  it('a fournisseur enrolled before the history: its stored values are the previous ones', () => {
    expect(
      decideEnrolment(SIRET, values, { ...values, bic: 'AGRIFRPPXXX' }, AT, { fromStream: false }),
    ).toEqual([
      {
        type: 'FournisseurEnrolmentChanged',
        data: {
          siret: SIRET,
          changedAt: AT,
          changes: [{ field: 'bic', from: values.bic, to: 'AGRIFRPPXXX' }],
        },
      },
    ]);
    // Unchanged, its history starts with the values as they are.
    expect(decideEnrolment(SIRET, values, values, AT, { fromStream: false })).toEqual([
      { type: 'FournisseurEnrolled', data: { siret: SIRET, values, enrolledAt: AT } },
    ]);
  });

  it('each fournisseur has its stream, fournisseur-<siret>', () => {
    expect(fournisseurStreamId(SIRET)).toBe('fournisseur-79256844600019');
  });

  it('the fold ignores events of other types: without an enrolment there are no values', () => {
    expect(history()).toBeNull();
    expect(foldEnrolment([{ type: 'AvanceImported', data: { numeroAsp: 'FINSAS008539' } }])).toBeNull();
    expect(
      foldEnrolment([
        { type: 'FournisseurEnrolled', data: { siret: SIRET, values, enrolledAt: AT } },
        { type: 'AvanceImported', data: { changes: [{ field: 'bic', from: values.bic, to: 'X' }] } },
      ]),
    ).toEqual(values);
  });

  it('the fold follows the changes', () => {
    expect(
      history(
        { type: 'FournisseurEnrolled', data: { siret: SIRET, values, enrolledAt: AT } },
        {
          type: 'FournisseurEnrolmentChanged',
          data: {
            siret: SIRET,
            changedAt: AT,
            changes: [{ field: 'bic', from: values.bic, to: 'AGRIFRPPXXX' }],
          },
        },
      ),
    ).toEqual({ ...values, bic: 'AGRIFRPPXXX' });
  });
});

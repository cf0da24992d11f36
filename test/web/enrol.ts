import type { TestApp } from '../support/test-app';
import { GARAGE_POULAT } from '../support/seed-dossiers';

/** GARAGE POULAT enrolled by the assistance through the API (imports and pages need it). */
export const enrolGaragePoulat = async (t: TestApp): Promise<void> => {
  const enrol = await t
    .http()
    .put(`/api/v1/fournisseurs/${GARAGE_POULAT.siret}`)
    .auth(t.token('assistance'), { type: 'bearer' })
    .send({
      numeroAns: GARAGE_POULAT.numeroAns,
      denominationSociale: 'GARAGE POULAT',
      adresse: { ligne: '0 cour DE MONS', codePostal: '59650', commune: 'VILLENEUVE D ASCQ' },
      email: 'contact@garage-poulat.fr',
      iban: 'FR7630006000011234567890189',
      bic: 'AGRIFRPP882',
    });
  if (enrol.status !== 200 && enrol.status !== 201)
    throw new Error(`enrôlement de GARAGE POULAT refusé : ${enrol.status} ${JSON.stringify(enrol.body)}`);
};

import type { Principal } from '@segur/auth';
import { maskIban } from '@segur/domain';
import type { Fournisseur } from '@segur/projections';

/** What a caller sees of an enrolment: the IBAN in full only to assistance, who enters it. */
export type FournisseurView = Fournisseur & { ibanMasque: boolean };

export const fournisseurView = (f: Fournisseur, principal: Principal): FournisseurView => {
  const full = principal.role === 'assistance';
  return { ...f, iban: full ? f.iban : maskIban(f.iban), ibanMasque: !full };
};

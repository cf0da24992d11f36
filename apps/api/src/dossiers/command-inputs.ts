import { parseDateFr, parseMontant, parseMontantAllowZero } from '@segur/domain';
import { ProblemError } from '../http/problem';

// The inputs of the dossier commands as both the JSON routes and the back-office pages read them:
// one reading, so an amount or a date the API refuses is refused by the pages with the same words.

/** Euros (at most two decimals) → integer cents; undefined → null (the command's default). */
export const centsOf = (value: number | undefined, path: string, allowZero = false): number | null => {
  if (value === undefined) return null;
  const r = allowZero ? parseMontantAllowZero(value, path) : parseMontant(value, path);
  if (!r.ok)
    throw new ProblemError(400, r.error.code, r.error.message, [
      { path, code: r.error.code, message: r.error.message },
    ]);
  return r.value;
};

/** `dd/MM/yyyy` → ISO date; undefined → null (the command's default: today). */
export const isoDateOf = (value: string | undefined, path: string): string | null => {
  if (value === undefined) return null;
  const r = parseDateFr(value, path);
  if (!r.ok)
    throw new ProblemError(400, r.error.code, r.error.message, [
      { path, code: r.error.code, message: r.error.message },
    ]);
  return r.value;
};

/** An avance's or a solde's payment: the date and amount the gestionnaire may give. */
export const paymentOf = (numeroAsp: string, body: { datePaiement?: string; montant?: number }) => ({
  numeroAsp,
  datePaiement: isoDateOf(body.datePaiement, 'datePaiement'),
  montantCents: centsOf(body.montant, 'montant'),
});

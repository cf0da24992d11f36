import type { SqlExecutor } from '@segur/event-store';

// Enrolment is not an event yet: the application writes this table directly (PUT /fournisseurs).
// It is therefore not a projection and is never rebuilt; the suivi page joins it at query time,
// so an updated address or IBAN shows on every dossier at once.
export const FOURNISSEURS_DDL = `CREATE TABLE IF NOT EXISTS fournisseurs (
  siret text PRIMARY KEY,
  numero_ans text NOT NULL,
  denomination_sociale text NOT NULL,
  adresse jsonb NOT NULL,
  email text NOT NULL,
  iban text NOT NULL,
  bic text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
)`;

export interface Adresse {
  ligne: string;
  codePostal: string;
  commune: string;
}

export interface Fournisseur {
  siret: string;
  numeroAns: string;
  denominationSociale: string;
  adresse: Adresse;
  email: string;
  /** Electronic form, validated by the caller (mod-97). */
  iban: string;
  bic: string;
}

export const migrateFournisseurs = async (sql: SqlExecutor): Promise<void> => {
  await sql.query(FOURNISSEURS_DDL);
};

export const upsertFournisseur = async (sql: SqlExecutor, f: Fournisseur): Promise<void> => {
  await sql.query(
    `INSERT INTO fournisseurs (siret, numero_ans, denomination_sociale, adresse, email, iban, bic, updated_at)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, now())
     ON CONFLICT (siret) DO UPDATE SET numero_ans = excluded.numero_ans,
       denomination_sociale = excluded.denomination_sociale, adresse = excluded.adresse,
       email = excluded.email, iban = excluded.iban, bic = excluded.bic, updated_at = excluded.updated_at`,
    [f.siret, f.numeroAns, f.denominationSociale, JSON.stringify(f.adresse), f.email, f.iban, f.bic],
  );
};

interface FournisseurRow {
  siret: string;
  numero_ans: string;
  denomination_sociale: string;
  adresse: Adresse;
  email: string;
  iban: string;
  bic: string;
}

export const fournisseurOfRow = (r: FournisseurRow): Fournisseur => ({
  siret: r.siret,
  numeroAns: r.numero_ans,
  denominationSociale: r.denomination_sociale,
  adresse: r.adresse,
  email: r.email,
  iban: r.iban,
  bic: r.bic,
});

/** Unmasked: for the back office and the mailer; pages mask the IBAN. */
export const getFournisseur = async (sql: SqlExecutor, siret: string): Promise<Fournisseur | null> => {
  const r = await sql.query<FournisseurRow>(
    'SELECT siret, numero_ans, denomination_sociale, adresse, email, iban, bic FROM fournisseurs WHERE siret = $1',
    [siret],
  );
  const row = r.rows[0];
  return row ? fournisseurOfRow(row) : null;
};

/** As the portal prints it on the récapitulatif: `0 cour DE MONS , 59650, VILLENEUVE D ASCQ`. */
export const formatAdresse = (a: Adresse): string => `${a.ligne} , ${a.codePostal}, ${a.commune}`;

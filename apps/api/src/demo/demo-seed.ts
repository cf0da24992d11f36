import type { INestApplication } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { v7 as uuidv7 } from 'uuid';
import type { Principal } from '@segur/auth';
import {
  EnrolFournisseurCommand,
  RecordAvancePaymentCommand,
  RecordSoldePaymentCommand,
  RejectSoldeCommand,
  RequestModificationCommand,
  ValidateSoldeCommand,
} from '@segur/commands';
import {
  ImportAvanceCommand,
  ImportSoldeCommand,
  pieceSourceOf,
  type ImportReportView,
} from '@segur/imports';
import { issuerFor, type IssuedCommand } from '../dossiers/command-http.service';
import {
  avanceFile,
  DEMO_BIC,
  DEMO_FOURNISSEURS,
  DEMO_IBAN,
  DEMO_TARGETS,
  demoPdf,
  soldeFile,
  type DemoTarget,
} from './demo-data';

const ASSISTANCE: Principal = { sub: 'demo-assistance', role: 'assistance', sirets: [], numeroAns: null };
const GESTIONNAIRE: Principal = {
  sub: 'demo-gestionnaire',
  role: 'gestionnaire',
  sirets: [],
  numeroAns: null,
};

const PAST_AVANCE: readonly DemoTarget[] = [
  'SOLDE_EN_COURS',
  'A_MODIFIER',
  'VALIDEE',
  'REJETEE',
  'SOLDE_PAYE',
];

export interface DemoSummary {
  alreadySeeded: boolean;
  fournisseurs: number;
  byTarget: Partial<Record<DemoTarget, string[]>>;
}

/**
 * `npm run demo`: GARAGE POULAT's story and a few dozen dossiers in every statut, seeded through
 * the CommandBus exactly as the API would (enrolment, imports, gestionnaire decisions). Idempotent:
 * the imports are recognised by their content (status `duplicate`), and then nothing else is sent.
 */
export const seedDemo = async (app: INestApplication): Promise<DemoSummary> => {
  const bus = app.get(CommandBus, { strict: false });
  const correlationId = `demo-${uuidv7()}`;
  const run = (command: IssuedCommand) =>
    bus.execute(command(issuerFor(GESTIONNAIRE, correlationId, undefined)));
  const summary: DemoSummary = { alreadySeeded: false, fournisseurs: DEMO_FOURNISSEURS.length, byTarget: {} };
  const pieces = pieceSourceOf(
    new Map([
      ['VA.pdf', demoPdf('VA')],
      ['FACTURE.pdf', demoPdf('FACTURE')],
    ]),
  );
  for (const f of DEMO_FOURNISSEURS) {
    await bus.execute(
      new EnrolFournisseurCommand(
        f.siret,
        {
          numeroAns: f.numeroAns,
          denominationSociale: f.denominationSociale,
          adresse: { ligne: '1 rue de la Démonstration', codePostal: f.codePostal, commune: f.commune },
          email: f.email,
          iban: DEMO_IBAN,
          bic: DEMO_BIC,
        },
        { id: ASSISTANCE.sub, role: ASSISTANCE.role },
        correlationId,
      ),
    );
    const avance: ImportReportView = await bus.execute(
      new ImportAvanceCommand({
        file: { bytes: avanceFile(f) },
        pieces: pieceSourceOf(new Map()),
        principal: ASSISTANCE,
        correlationId,
      }),
    );
    if (avance.status === 'duplicate') {
      summary.alreadySeeded = true;
      continue;
    }
    const numeros = avance.lines.map((l) => l.numeroASP);
    if (numeros.some((n) => n === null))
      throw new Error(`import d’avance de démonstration refusé : ${JSON.stringify(avance.lines)}`);
    const byTarget = new Map(DEMO_TARGETS.map((t, i) => [t, numeros[i]!]));
    for (const [target, numeroAsp] of byTarget) {
      (summary.byTarget[target] ??= []).push(numeroAsp);
      if (target !== 'AVANCE_EN_COURS')
        await run(
          (i) => new RecordAvancePaymentCommand({ numeroAsp, datePaiement: null, montantCents: null }, i),
        );
    }
    const soldes = PAST_AVANCE.map((t) => byTarget.get(t)!);
    const solde: ImportReportView = await bus.execute(
      new ImportSoldeCommand({
        file: { bytes: soldeFile(f, soldes) },
        pieces,
        principal: ASSISTANCE,
        correlationId,
      }),
    );
    if (solde.lines.some((l) => l.result !== 'applied'))
      throw new Error(`import de solde de démonstration refusé : ${JSON.stringify(solde.lines)}`);
    const at = (t: DemoTarget): string => byTarget.get(t)!;
    await run(
      (i) =>
        new RequestModificationCommand(
          { numeroAsp: at('A_MODIFIER'), commentaire: 'Merci de corriger le contact support (test modif)' },
          i,
        ),
    );
    for (const t of ['VALIDEE', 'SOLDE_PAYE'] as const)
      await run(
        (i) =>
          new ValidateSoldeCommand(
            { numeroAsp: at(t), engagementRetenuCents: null, soldeDecideCents: null },
            i,
          ),
      );
    await run(
      (i) =>
        new RejectSoldeCommand({ numeroAsp: at('REJETEE'), motif: 'Facture illisible (démonstration)' }, i),
    );
    await run(
      (i) =>
        new RecordSoldePaymentCommand(
          { numeroAsp: at('SOLDE_PAYE'), datePaiement: null, montantCents: null },
          i,
        ),
    );
  }
  return summary;
};

const TARGET_LABELS: Readonly<Record<DemoTarget, string>> = {
  A_MODIFIER: 'solde à modifier',
  AVANCE_EN_COURS: 'avance en cours',
  AVANCE_PAYEE: 'avance payée',
  SOLDE_EN_COURS: 'solde en cours',
  VALIDEE: 'solde validé',
  REJETEE: 'solde rejeté',
  SOLDE_PAYE: 'solde payé',
};

/** What the demo seeded, in French, for the terminal. */
export const demoReport = (s: DemoSummary): string => {
  if (s.alreadySeeded && Object.keys(s.byTarget).length === 0)
    return 'Démonstration : données déjà présentes dans ce DATA_DIR, rien n’a été ajouté.\n';
  const lines = [
    '',
    `Démonstration : ${s.fournisseurs} fournisseurs enrôlés, dossiers créés par les commandes :`,
  ];
  for (const [target, numeros] of Object.entries(s.byTarget) as [DemoTarget, string[]][])
    lines.push(`  ${TARGET_LABELS[target].padEnd(18)} ${numeros.length}  (${numeros.join(', ')})`);
  lines.push(
    `  GARAGE POULAT (SIRET 79256844600019) : ${s.byTarget.A_MODIFIER?.[0] ?? '—'} attend sa modification`,
  );
  return `${lines.join('\n')}\n`;
};

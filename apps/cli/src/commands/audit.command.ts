import type { Command } from 'commander';
import { dossierStreamId } from '@segur/domain';
import {
  AuditVerifier,
  exportBundle,
  isAuditable,
  makeCheckpoint,
  publicKeyPemOf,
  type AuditLog,
  type VerifyReport,
} from '@segur/event-store';
import { openEngine } from '@segur/engine';
import { auditSigningKeyOf, loadConfig, type Infrastructure } from '@segur/platform';
import { VerifyDossierAuditQuery } from '@segur/queries';
import { withEngine } from '../engine-context';
import { chainPendingEvents } from './audit-chain';

const NUMERO_ASP = /^FIN[A-Z]{3}\d{6}$/;

/** The store's audit log, or a French message and exit code 2. */
const withAuditLog = async (work: (log: AuditLog, infra: Infrastructure) => Promise<void>): Promise<void> => {
  const config = loadConfig();
  const infra = await openEngine(config);
  try {
    if (!isAuditable(infra.store)) {
      process.stderr.write(`Le magasin ${infra.store.name} n’offre pas la piste d’audit (docs/audit.md)\n`);
      process.exitCode = 2;
      return;
    }
    await work(infra.store.auditLog(), infra);
  } finally {
    await infra.close();
  }
};

const print = (report: VerifyReport, json: boolean | undefined): void => {
  process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : `${report.message}\n`);
  if (!report.intact) process.exitCode = 1;
};

const checkpointId = (raw: string | undefined): number | undefined => {
  if (raw === undefined) return undefined;
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id < 1)
    throw new Error(`--from : identifiant de point de contrôle invalide « ${raw} »`);
  return id;
};

/**
 * `npm run cli -- audit chain | checkpoint | verify [numeroAsp | --all] [--from id] | export <numeroAsp>`:
 * the tamper-evident audit trail (docs/audit.md). verify exits 1 on a broken link.
 */
export const registerAuditCommand = (program: Command): void => {
  const audit = program
    .command('audit')
    .description('Piste d’audit infalsifiable : chaîner, signer un point de contrôle, vérifier, exporter');

  audit
    .command('chain')
    .description('Chaîne une fois les événements écrits avant la chaîne de hachage (reprenable)')
    .option('--batch-size <n>', 'événements par transaction', '1000')
    .action(async (opts: { batchSize: string }) => {
      await withAuditLog(async (log) => {
        const code = await chainPendingEvents(log, Number(opts.batchSize), {
          out: (text) => process.stdout.write(text),
          err: (text) => process.stderr.write(text),
        });
        if (code !== 0) process.exitCode = code;
      });
    });

  audit
    .command('checkpoint')
    .description(
      'Signe maintenant un point de contrôle de tout le journal (racine de Merkle des têtes de flux)',
    )
    .action(async () => {
      await withAuditLog(async (log, infra) => {
        const key = auditSigningKeyOf(infra.config);
        if (!key) {
          process.stderr.write('AUDIT_SIGNING_KEY absente : aucun point de contrôle ne peut être signé\n');
          process.exitCode = 2;
          return;
        }
        const { created, checkpoint } = await makeCheckpoint(log, key);
        const c = checkpoint?.payload;
        process.stdout.write(
          created
            ? `Point de contrôle ${checkpoint?.id} signé : position ${c?.position ?? '(vide)'}, ${c?.streams} flux, racine ${c?.root}\n`
            : `Rien d’ajouté depuis le point de contrôle ${checkpoint?.id} : aucun nouveau\n`,
        );
      });
    });

  audit
    .command('verify')
    .description(
      'Recalcule la chaîne et les preuves des points de contrôle : intègre, ou le premier maillon rompu',
    )
    .argument('[numeroAsp]', 'un dossier (sinon --all)')
    .option('--all', 'tous les flux')
    .option(
      '--from <checkpoint>',
      'vérifier les points de contrôle à partir de celui-ci (défaut : le dernier)',
    )
    .option('--json', 'sortie JSON')
    .action(async (numeroAsp: string | undefined, opts: { all?: boolean; from?: string; json?: boolean }) => {
      if (!numeroAsp === !opts.all) {
        process.stderr.write('Donnez un numéro ASP ou --all (l’un des deux)\n');
        process.exitCode = 2;
        return;
      }
      if (numeroAsp && !NUMERO_ASP.test(numeroAsp)) {
        process.stderr.write(`Numéro ASP invalide : ${numeroAsp} (FIN + couloir + 6 chiffres)\n`);
        process.exitCode = 2;
        return;
      }
      const fromCheckpoint = checkpointId(opts.from);
      if (numeroAsp) {
        const infra = await openEngine(loadConfig());
        try {
          await withEngine(infra, async ({ queries }) =>
            print(await queries.execute(new VerifyDossierAuditQuery(numeroAsp, fromCheckpoint)), opts.json),
          );
        } finally {
          await infra.close();
        }
        return;
      }
      await withAuditLog(async (log, infra) => {
        const key = auditSigningKeyOf(infra.config);
        const report = await new AuditVerifier(log).verifyAll({
          ...(fromCheckpoint === undefined ? {} : { fromCheckpoint }),
          ...(key ? { trustedKeys: [publicKeyPemOf(key)] } : {}),
        });
        print(report, opts.json);
      });
    });

  audit
    .command('export')
    .description(
      'Lot d’audit d’un dossier (événements, chaîne, preuve d’inclusion, point de contrôle signé, clé publique) sur la sortie standard',
    )
    .argument('<numeroAsp>')
    .action(async (numeroAsp: string) => {
      if (!NUMERO_ASP.test(numeroAsp)) {
        process.stderr.write(`Numéro ASP invalide : ${numeroAsp} (FIN + couloir + 6 chiffres)\n`);
        process.exitCode = 2;
        return;
      }
      await withAuditLog(async (log, infra) => {
        const key = auditSigningKeyOf(infra.config);
        const bundle = await exportBundle(log, dossierStreamId(numeroAsp), key ? publicKeyPemOf(key) : null);
        if (!bundle) {
          process.stderr.write(`Dossier ${numeroAsp} introuvable\n`);
          process.exitCode = 1;
          return;
        }
        process.stdout.write(`${JSON.stringify(bundle, null, 2)}\n`);
        if (!bundle.checkpoint)
          process.stderr.write(
            'Attention : aucun point de contrôle signé ne couvre encore ce dossier (audit checkpoint)\n',
          );
      });
    });
};

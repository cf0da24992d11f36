import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { SqlClient } from '@segur/event-store';
import { SQL_CLIENT } from '@segur/platform';
import { getFournisseur, upsertFournisseur, type Fournisseur } from '@segur/projections';
import { EnrolFournisseurCommand } from './enrol-fournisseur.command';
import { parseEnrolment } from './enrolment.validation';

/**
 * Reference data written straight to the `fournisseurs` table, not an event: no dossier's history
 * depends on it, the suivi page reads the current values at query time. `created` tells a first
 * enrolment from an update.
 */
@CommandHandler(EnrolFournisseurCommand)
export class EnrolFournisseurHandler implements ICommandHandler<EnrolFournisseurCommand> {
  constructor(@Inject(SQL_CLIENT) private readonly sql: SqlClient) {}

  async execute({
    siret,
    body,
  }: EnrolFournisseurCommand): Promise<{ fournisseur: Fournisseur; created: boolean }> {
    const fournisseur = parseEnrolment(siret, body);
    const before = await getFournisseur(this.sql, fournisseur.siret);
    await upsertFournisseur(this.sql, fournisseur);
    return { fournisseur, created: before === null };
  }
}

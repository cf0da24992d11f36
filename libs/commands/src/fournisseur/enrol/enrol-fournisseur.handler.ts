import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decideEnrolment, foldEnrolment, fournisseurStreamId, type EnrolmentValues } from '@segur/domain';
import { WrongExpectedVersionError, type EventStore, type SqlClient } from '@segur/event-store';
import { Refusal, type Clock } from '@segur/kernel';
import { CLOCK, EVENT_STORE, SQL_CLIENT } from '@segur/platform';
import { getFournisseur, upsertFournisseur, type Fournisseur } from '@segur/projections';
import { fastUuidV7 } from '../../pipeline/fast-uuid-v7';
import { EnrolFournisseurCommand } from './enrol-fournisseur.command';
import { parseEnrolment } from './enrolment.validation';

const MAX_ATTEMPTS = 5;

/** The flat values an enrolment's history records. */
export const enrolmentValuesOf = (f: Fournisseur): EnrolmentValues => ({
  numeroAns: f.numeroAns,
  denominationSociale: f.denominationSociale,
  'adresse.ligne': f.adresse.ligne,
  'adresse.codePostal': f.adresse.codePostal,
  'adresse.commune': f.adresse.commune,
  email: f.email,
  iban: f.iban,
  bic: f.bic,
});

/**
 * Each enrolment is first a fact of the fournisseur's stream (`fournisseur-<siret>`: who changed
 * what, from which value), appended with the version read; then the `fournisseurs` table, which
 * the suivi page and the mail loop read, takes the new values. The stream is the reference: a crash
 * between the two leaves a stream ahead of the table, and the retry finds nothing left to record
 * and writes the table. `created` tells a first enrolment from an update.
 */
@CommandHandler(EnrolFournisseurCommand)
export class EnrolFournisseurHandler implements ICommandHandler<EnrolFournisseurCommand> {
  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(command: EnrolFournisseurCommand): Promise<{ fournisseur: Fournisseur; created: boolean }> {
    const fournisseur = parseEnrolment(command.siret, command.body);
    const streamId = fournisseurStreamId(fournisseur.siret);
    const before = await getFournisseur(this.sql, fournisseur.siret);
    for (let attempt = 1; ; attempt++) {
      const events = await this.store.readStream(streamId);
      const fromStream = foldEnrolment(events);
      // Enrolled before enrolments had a history: the stored row is the previous value.
      const current = fromStream ?? (before ? enrolmentValuesOf(before) : null);
      const decided = decideEnrolment(
        fournisseur.siret,
        current,
        enrolmentValuesOf(fournisseur),
        this.clock.now().toISOString(),
        { fromStream: fromStream !== null },
      );
      if (decided.length === 0) break;
      const version = events.at(-1)?.streamVersion ?? 0;
      try {
        await this.store.appendToStream(
          streamId,
          decided.map((e) => ({
            type: e.type,
            data: e.data,
            metadata: {
              actor: command.actor,
              correlationId: command.correlationId,
              causationId: null,
              commandId: fastUuidV7(),
            },
          })),
          { expectedVersion: version === 0 ? 'no_stream' : version },
        );
        break;
      } catch (e) {
        if (!(e instanceof WrongExpectedVersionError)) throw e;
        if (attempt >= MAX_ATTEMPTS)
          throw new Refusal('conflict', 'CONFLIT_VERSION', 'enrôlement modifié en même temps, réessayez');
      }
    }
    await upsertFournisseur(this.sql, fournisseur);
    return { fournisseur, created: before === null };
  }
}

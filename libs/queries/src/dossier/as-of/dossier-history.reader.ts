import { Inject, Injectable } from '@nestjs/common';
import { dossierStreamId, type CouloirsConfig } from '@segur/domain';
import type { RecordedEvent } from '@segur/event-store';
import { INFRA, type Infrastructure } from '@segur/platform';
import {
  asOfMarkerOf,
  getFournisseur,
  streamAsOf,
  type AsOfMarker,
  type AsOfPoint,
  type Fournisseur,
} from '@segur/projections';
import { dossierNotFound } from '../../not-found';

/** A dossier's stream up to an as-of point, and the event it stopped at. */
export interface DossierAsOf {
  events: RecordedEvent[];
  asOf: AsOfMarker;
}

/**
 * What the as-of reads share: the dossier's own stream, read from the store (the truth, no read
 * model nor snapshot), cut at the point. A point before the dossier's first event is a dossier
 * that did not exist: 404, as an unknown one.
 */
@Injectable()
export class DossierHistoryReader {
  constructor(@Inject(INFRA) private readonly infra: Infrastructure) {}

  async read(numeroAsp: string, point: AsOfPoint): Promise<DossierAsOf> {
    const events = streamAsOf(await this.infra.store.readStream(dossierStreamId(numeroAsp)), point);
    const last = events.at(-1);
    if (last === undefined) throw dossierNotFound(numeroAsp);
    return { events, asOf: asOfMarkerOf(last) };
  }

  get couloirs(): CouloirsConfig {
    return this.infra.config.couloirs;
  }

  fournisseur(siret: string): Promise<Fournisseur | null> {
    return getFournisseur(this.infra.sql, siret);
  }
}

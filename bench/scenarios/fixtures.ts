import { randomUUID } from 'node:crypto';
import type { NewEvent } from '@segur/event-store';

/** A realistic event: about 250 bytes of data, 150 of metadata. */
export const sampleEvent = (n: number): NewEvent => ({
  type: 'PieceAdded',
  data: {
    numeroAsp: `FINSAS${String(n).padStart(6, '0')}`,
    piece: {
      nom: 'devis-signe.pdf',
      taille: 182_734,
      sha256: 'b5d4045c3f466fa91fe2cc6abe79232a1a57cdf104f7a26e716e0a1e2789df78',
    },
    ajouteePar: 'fournisseur',
    montantCentimes: 1_250_000 + n,
  },
  metadata: {
    actor: { id: 'fournisseur-44306184100047', role: 'fournisseur' },
    correlationId: randomUUID(),
    causationId: null,
    commandId: randomUUID(),
  },
});

/** What the raw references write into: the same columns and indexes as es_events, no store logic. */
export const RAW_EVENTS_DDL = `
CREATE TABLE raw_events (
  global_position bigserial PRIMARY KEY,
  stream_id text NOT NULL,
  stream_version bigint NOT NULL,
  event_id uuid NOT NULL,
  event_type text NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX raw_events_stream ON raw_events (stream_id, stream_version)`;

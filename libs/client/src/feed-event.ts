/**
 * An event of the feed as the engine publishes it (the `envelope` format). `data`'s shape per type
 * and schemaVersion is the JSON Schema at `/schemas/events/<type>.v<schemaVersion>.json` (also in
 * `/asyncapi.json`).
 */
export interface FeedEvent<Data = Record<string, unknown>> {
  /** UUID v7: the deduplication key (delivery is at least once). */
  id: string;
  type: string;
  schemaVersion: number;
  /** `dossier-<numéro ASP>`. */
  streamId: string;
  streamVersion: number;
  /** The opaque cursor: store it after processing, resume after it. */
  position: string;
  recordedAt: string;
  data: Data;
  metadata?: Record<string, unknown>;
}

/** What narrows the feed (the query parameters of `GET /api/v1/events`). */
export interface FeedFilter {
  /** Event types, e.g. `['SoldeValidated', 'SoldeRejected']`. */
  types?: readonly string[];
  /** A numéro ASP prefix, e.g. `FINSAS`. */
  numeroAsp?: string;
  /** A stream category: `dossier`. */
  category?: string;
}

/**
 * What kind of "no" a library says, in words of the use case: the edge translates it (the API into
 * an HTTP status, the CLI into a message), so that no library chooses a status code.
 */
export type RefusalKind =
  'invalid' | 'forbidden' | 'not-found' | 'conflict' | 'rule' | 'too-large' | 'unsupported' | 'unavailable';

/** One offending input: its JSON path, a stable code, a French message. */
export interface RefusalDetail {
  path: string;
  code: string;
  message: string;
}

/** A request refused before it changed anything; `code` is one of the stable codes of docs/api.md. */
export class Refusal extends Error {
  constructor(
    readonly kind: RefusalKind,
    readonly code: string,
    message: string,
    readonly details?: readonly RefusalDetail[],
    /** For `unavailable`: when trying again makes sense. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'Refusal';
  }
}

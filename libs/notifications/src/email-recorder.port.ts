import type { RecordEmailSent } from '@segur/domain';

/** Exactly the data of the `RecordEmailSent` command. */
export type SentEmail = RecordEmailSent['data'];

/**
 * Implemented by the application: dispatch `RecordEmailSent` through the CommandBus so `EmailSent`
 * is appended to the dossier. Must be idempotent on `causationEventId` (the decider refuses or
 * ignores a second record of the same email), because a crash after the append but before the
 * outbox row is marked makes the dispatcher call it again.
 */
export type EmailRecorder = (sent: SentEmail) => Promise<void>;

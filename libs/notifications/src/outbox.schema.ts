// email_outbox: one row per causing event (its id is the key, so a replayed event never queues a
// second email). The dispatcher's bookkeeping (attempts, lease, smtp_accepted_at) lives on the row
// because "accepted by SMTP but not yet recorded" must survive a crash.
// email_dossiers: the little the templates need from earlier events (siret, couloir, current
// editable fields, open round's comment), so rendering never reads another team's read model
// except `fournisseurs` for the recipient.
export const OUTBOX_MIGRATIONS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS email_outbox (
    causation_event_id text PRIMARY KEY,
    template text NOT NULL,
    numero_asp text NOT NULL,
    to_address text,
    subject text NOT NULL,
    text_body text NOT NULL,
    html_body text NOT NULL,
    message_id text NOT NULL,
    status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SENT')),
    created_at timestamptz NOT NULL DEFAULT now(),
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error text,
    smtp_accepted_at timestamptz,
    smtp_response text,
    sent_at timestamptz
  )`,
  `CREATE INDEX IF NOT EXISTS email_outbox_pending ON email_outbox (next_attempt_at) WHERE status = 'PENDING'`,
  `CREATE TABLE IF NOT EXISTS email_dossiers (
    numero_asp text PRIMARY KEY,
    siret text NOT NULL,
    couloir text NOT NULL,
    champs jsonb NOT NULL DEFAULT '{}'::jsonb,
    round_version text,
    round_commentaire text,
    round_expires_at timestamptz
  )`,
  // Owned by the fournisseurs read model (enrolment); created here only so this projection can
  // start first. Same columns, so the owner's CREATE TABLE IF NOT EXISTS is a no-op.
  `CREATE TABLE IF NOT EXISTS fournisseurs (siret text PRIMARY KEY, email text)`,
];

// Webhook subscriptions and their delivery log. Application tables (not read models): a
// subscription's cursor is state of its own, never rebuilt from events.
// One statement per string: PGlite runs one statement per query.
export const WEBHOOK_MIGRATIONS = [
  `CREATE TABLE IF NOT EXISTS webhooks (
     id              text PRIMARY KEY,
     owner_sub       text NOT NULL,
     url             text NOT NULL,
     types           text[] NOT NULL,
     secret          text NOT NULL,
     cursor          text,
     status          text NOT NULL DEFAULT 'active',
     next_attempt_at timestamptz NOT NULL DEFAULT now(),
     failures        integer NOT NULL DEFAULT 0,
     last_error      text,
     lease_owner     text,
     lease_until     timestamptz,
     created_at      timestamptz NOT NULL DEFAULT now(),
     deleted_at      timestamptz
   )`,
  `CREATE INDEX IF NOT EXISTS webhooks_owner_idx ON webhooks (owner_sub, created_at) WHERE status = 'active'`,
  `CREATE INDEX IF NOT EXISTS webhooks_due_idx ON webhooks (next_attempt_at) WHERE status = 'active'`,
  `CREATE TABLE IF NOT EXISTS webhook_deliveries (
     id          bigserial PRIMARY KEY,
     webhook_id  text NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
     attempt     integer NOT NULL,
     event_id    text NOT NULL,
     event_type  text NOT NULL,
     position    text NOT NULL,
     status_code integer,
     error       text,
     duration_ms integer NOT NULL,
     at          timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX IF NOT EXISTS webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, id)`,
  // Secret rotation: the replaced secret keeps signing (a second `v1=`) until `previous_secret_until`,
  // so receivers can switch to the new one without refusing a single delivery.
  `ALTER TABLE webhooks ADD COLUMN IF NOT EXISTS previous_secret text`,
  `ALTER TABLE webhooks ADD COLUMN IF NOT EXISTS previous_secret_until timestamptz`,
  // The retention purge deletes by age.
  `CREATE INDEX IF NOT EXISTS webhook_deliveries_at_idx ON webhook_deliveries (at)`,
  // Pause: a receiver that answers 410 Gone, or fails without a break for WEBHOOK_PAUSE_AFTER, is
  // no longer tried until its owner resumes it (cursor kept: nothing is lost, only delayed).
  `ALTER TABLE webhooks ADD COLUMN IF NOT EXISTS failing_since timestamptz`,
  `ALTER TABLE webhooks ADD COLUMN IF NOT EXISTS paused_at timestamptz`,
  `ALTER TABLE webhooks ADD COLUMN IF NOT EXISTS paused_reason text`,
  // The body's format: our envelope, or a CloudEvents 1.0 structured-mode event.
  `ALTER TABLE webhooks ADD COLUMN IF NOT EXISTS format text NOT NULL DEFAULT 'envelope'`,
  `CREATE INDEX IF NOT EXISTS webhooks_owner_live_idx ON webhooks (owner_sub, created_at) WHERE status <> 'deleted'`,
];

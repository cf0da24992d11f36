import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './app-config';
import { ConfigError } from './config.error';

const refused = (env: Record<string, string>, variable: string): void => {
  let error: unknown;
  try {
    loadConfig(env);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as ConfigError).variable).toBe(variable);
  expect((error as ConfigError).message).toContain(variable);
};

describe('configuration from the environment', () => {
  it('defaults to the embedded mode: PGlite, in-process timers, P10D / P20D', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      embedded: true,
      databaseUrl: null,
      redisUrl: null,
      eventStore: 'postgres',
      modificationReminderAfter: 'P10D',
      modificationExpiryAfter: 'P20D',
      port: 3000,
    });
    expect(Object.keys(c.couloirs)).toEqual(['SAS', 'PHA', 'MSS']);
  });

  it('accepts short durations for tests and an EventStoreDB cluster string', () => {
    const c = loadConfig({
      MODIFICATION_REMINDER_AFTER: 'PT2S',
      MODIFICATION_EXPIRY_AFTER: 'PT4S',
      EVENT_STORE: 'eventstoredb',
      EVENTSTORE_URL: 'esdb://es1:2113,es2:2113,es3:2113?tls=false',
      DATABASE_URL: 'postgres://u@db:5432/segur',
      JWT_SECRET: 'x'.repeat(32),
      WEBHOOK_SECRET_KEY: '1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f1f',
    });
    expect(c.modificationReminderAfter).toBe('PT2S');
    expect(c.eventStoreUrl).toBe('esdb://es1:2113,es2:2113,es3:2113?tls=false');
  });

  it('reads the timer settings: BullMQ prefix, reconciler period and grace, lease', () => {
    expect(loadConfig({})).toMatchObject({
      bullmqPrefix: 'segur',
      deadlines: { reconcileIntervalMs: 60_000, reconcileGraceMs: 120_000, leaseMs: 30_000 },
    });
    const c = loadConfig({
      BULLMQ_PREFIX: 'recette-2',
      DEADLINES_RECONCILE_INTERVAL: 'PT0.5S',
      DEADLINES_RECONCILE_GRACE: 'PT30S',
      DEADLINES_LEASE: 'PT2S',
    });
    expect(c.bullmqPrefix).toBe('recette-2');
    expect(c.deadlines).toEqual({
      reconcileIntervalMs: 500,
      reconcileGraceMs: 30_000,
      leaseMs: 2_000,
      prefetchMax: 100_000,
    });
  });

  it('reads the webhook delivery log retention (30 days by default)', () => {
    expect(loadConfig({}).webhooks.deliveryRetentionMs).toBe(30 * 24 * 3600_000);
    expect(loadConfig({ WEBHOOK_DELIVERY_RETENTION: 'P1Y' }).webhooks.deliveryRetentionMs).toBe(
      365 * 24 * 3600_000,
    );
  });

  it('reads the deadlines prefetch cap (100,000 states by default, 0 turns it off)', () => {
    expect(loadConfig({}).deadlines.prefetchMax).toBe(100_000);
    expect(loadConfig({ DEADLINES_PREFETCH_MAX: '0' }).deadlines.prefetchMax).toBe(0);
  });

  it('reads the attempts before a projection quarantines an event (5 by default)', () => {
    expect(loadConfig({}).projections.maxAttempts).toBe(5);
    expect(loadConfig({ PROJECTION_MAX_ATTEMPTS: '12' }).projections.maxAttempts).toBe(12);
  });

  it('reads how long a failing webhook is retried before it is paused (3 days by default)', () => {
    expect(loadConfig({}).webhooks.pauseAfterMs).toBe(3 * 24 * 3600_000);
    expect(loadConfig({ WEBHOOK_PAUSE_AFTER: 'PT12H' }).webhooks.pauseAfterMs).toBe(12 * 3600_000);
  });

  it.each([
    [{ WEBHOOK_DELIVERY_RETENTION: 'PT1H' }, 'WEBHOOK_DELIVERY_RETENTION'],
    [{ WEBHOOK_DELIVERY_RETENTION: 'trente jours' }, 'WEBHOOK_DELIVERY_RETENTION'],
    [{ WEBHOOK_PAUSE_AFTER: 'PT5M' }, 'WEBHOOK_PAUSE_AFTER'],
    [{ DEADLINES_PREFETCH_MAX: '-1' }, 'DEADLINES_PREFETCH_MAX'],
    [{ DEADLINES_PREFETCH_MAX: 'beaucoup' }, 'DEADLINES_PREFETCH_MAX'],
    [{ WEBHOOK_PAUSE_AFTER: 'P60D' }, 'WEBHOOK_PAUSE_AFTER'],
    [{ EVENT_STORE: 'mongo' }, 'EVENT_STORE'],
    [{ EVENT_STORE: 'eventstoredb' }, 'EVENTSTORE_URL'],
    [{ EVENT_STORE: 'eventstoredb', EVENTSTORE_URL: 'esdb://x:2113' }, 'DATABASE_URL'],
    [{ EVENTSTORE_URL: 'http://x' }, 'EVENTSTORE_URL'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'postgres://x/db' }, 'JWT_SECRET'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ REDIS_URL: 'not a url' }, 'REDIS_URL'],
    [{ SMTP_URL: 'http://mail' }, 'SMTP_URL'],
    [{ MODIFICATION_REMINDER_AFTER: '10 days' }, 'MODIFICATION_REMINDER_AFTER'],
    [{ MODIFICATION_EXPIRY_AFTER: 'PT0S' }, 'MODIFICATION_EXPIRY_AFTER'],
    [{ PORT: '99999' }, 'PORT'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ PIECE_MAX_BYTES: '-1' }, 'PIECE_MAX_BYTES'],
    [{ PROJECTION_MAX_ATTEMPTS: '0' }, 'PROJECTION_MAX_ATTEMPTS'],
    [{ COULOIRS_FILE: '/nonexistent/couloirs.json' }, 'COULOIRS_FILE'],
    [{ DEADLINES_RECONCILE_INTERVAL: '60000' }, 'DEADLINES_RECONCILE_INTERVAL'],
    [{ DEADLINES_RECONCILE_GRACE: 'PT0S' }, 'DEADLINES_RECONCILE_GRACE'],
    [{ BULLMQ_PREFIX: 'segur:prod' }, 'BULLMQ_PREFIX'],
    [{ JWT_JWKS_URL: 'http://idp.example/jwks', JWT_AUDIENCE: 'a', JWT_ISSUER: 'i' }, 'JWT_JWKS_URL'],
    [{ JWT_JWKS_URL: 'https://idp.example/jwks', JWT_ISSUER: 'i' }, 'JWT_AUDIENCE'],
    [{ JWT_JWKS_URL: 'https://idp.example/jwks', JWT_AUDIENCE: 'a' }, 'JWT_ISSUER'],
    [{ IMPORT_MAX_BYTES: '0' }, 'IMPORT_MAX_BYTES'],
  ])('refuses %j naming %s', (env, variable) => refused(env, variable));

  it('keeps a small JSON limit everywhere and a large one for imports', () => {
    expect(loadConfig({}).limits).toMatchObject({
      jsonBodyBytes: 1024 * 1024,
      importBytes: 64 * 1024 * 1024,
    });
  });

  it('accepts an https JWKS URL with its audience and issuer', () => {
    const jwt = loadConfig({
      JWT_JWKS_URL: 'https://idp.example/jwks',
      JWT_AUDIENCE: 'segur-api',
      JWT_ISSUER: 'https://idp.example',
    }).jwt;
    expect(jwt).toEqual({
      secret: null,
      jwksUrl: 'https://idp.example/jwks',
      audience: 'segur-api',
      issuer: 'https://idp.example',
      claims: { role: 'role', siret: 'siret' },
    });
  });

  it.each([
    ['DATABASE_URL', 'mysql://admin:s3cr3t-pw@db.internal/segur'],
    ['DATABASE_URL', 'postgres://admin:s3cr3t-pw@[db/segur'],
    ['DATABASE_URL', 'postgres://admin:s3cr3t pw@[db/segur'],
    ['REDIS_URL', 'redis://:s3cr3t-pw@redis.internal:6379:x'],
    ['REDIS_URL', 'http://user:s3cr3t-pw@redis.internal'],
    ['EVENTSTORE_URL', 'esdb://admin:s3cr3t-pw@es 1:2113'],
    ['SMTP_URL', 'http://mailer:s3cr3t-pw@smtp.internal'],
    ['JWT_JWKS_URL', 'http://u:s3cr3t-pw@idp/jwks'],
  ])('never echoes the credentials of %s in its error', (variable, value) => {
    let message = '';
    try {
      loadConfig({ [variable]: value, JWT_AUDIENCE: 'a', JWT_ISSUER: 'i' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(variable);
    expect(message).not.toContain('s3cr3t');
  });

  it('validates a COULOIRS_FILE and lists its problems', () => {
    const dir = mkdtempSync(join(tmpdir(), 'couloirs-'));
    const file = join(dir, 'couloirs.json');
    writeFileSync(
      file,
      JSON.stringify({
        SAS: {
          clotureSolde: '2023-31-12',
          dsr: 'x',
          champsEditables: [],
          typesPieces: [],
          piecesObligatoiresSolde: ['VA'],
        },
      }),
    );
    refused({ COULOIRS_FILE: file }, 'COULOIRS_FILE');
    writeFileSync(
      file,
      JSON.stringify({
        SAS: {
          clotureSolde: '2023-12-31',
          dsr: 'DSR-SAS-SAS-Va1',
          champsEditables: ['contactSupport'],
          typesPieces: ['VA', 'FACTURE'],
          piecesObligatoiresSolde: ['VA', 'FACTURE'],
        },
      }),
    );
    expect(loadConfig({ COULOIRS_FILE: file }).couloirs.SAS?.clotureSolde).toBe('2023-12-31');
  });

  it('WEBHOOK_SECRET_KEY: mandatory outside embedded mode, 32 bytes, never echoed', () => {
    const server = { DATABASE_URL: 'postgres://u@db:5432/segur', JWT_SECRET: 'x'.repeat(32) };
    expect(() => loadConfig(server)).toThrow(/WEBHOOK_SECRET_KEY/);
    const short = 'c2VjcmV0LWNvdXJ0';
    let message = '';
    try {
      loadConfig({ ...server, WEBHOOK_SECRET_KEY: short });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/WEBHOOK_SECRET_KEY/);
    expect(message).not.toContain(short);
    expect(loadConfig({ ...server, WEBHOOK_SECRET_KEY: 'ab'.repeat(32) }).webhooks.secretKey).toEqual(
      Buffer.from('ab'.repeat(32), 'hex'),
    );
    expect(
      loadConfig({ WEBHOOK_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') }).webhooks.secretKey,
    ).toEqual(Buffer.alloc(32, 7));
    expect(loadConfig({}).webhooks.secretKey).toBeNull();
  });

  it('never echoes the credentials of a URL it refuses', () => {
    const cases: Record<string, string> = {
      DATABASE_URL: 'mysql://segur:S3cret-pg@db.internal:5432/segur',
      REDIS_URL: 'redis://:S3cret-redis@cache internal:6379',
      EVENTSTORE_URL: 'esdb://admin:S3cret-esdb@es 1:2113',
    };
    for (const [variable, value] of Object.entries(cases)) {
      let message = '';
      try {
        loadConfig({
          [variable]: value,
          EVENT_STORE: variable === 'EVENTSTORE_URL' ? 'eventstoredb' : 'postgres',
        });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toContain(variable);
      expect(message).not.toContain('S3cret');
    }
  });

  it('rate limits, caps and /metrics settings: defaults, and bad values refused', () => {
    expect(loadConfig({}).rateLimits).toEqual({
      windowMs: 60_000,
      imports: 30,
      commands: 600,
      webhooks: 60,
      feedStreams: 5,
      webhookSubscriptions: 20,
    });
    expect(loadConfig({}).metrics).toEqual({ cacheTtlMs: 30_000, token: null, workerHttpPort: 9464 });
    expect(loadConfig({ WORKER_HTTP_PORT: '0' }).metrics.workerHttpPort).toBe(0);
    expect(loadConfig({}).logFormat).toMatch(/^(json|pretty)$/);
    expect(loadConfig({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
    refused({ LOG_FORMAT: 'xml' }, 'LOG_FORMAT');
    refused({ WORKER_HTTP_PORT: '70000' }, 'WORKER_HTTP_PORT');
    refused({ RATE_LIMIT_WINDOW: 'une minute' }, 'RATE_LIMIT_WINDOW');
    refused({ RATE_LIMIT_COMMANDS: '0' }, 'RATE_LIMIT_COMMANDS');
    refused({ FEED_STREAMS_MAX: '-1' }, 'FEED_STREAMS_MAX');
    refused({ WEBHOOK_SUBSCRIPTIONS_MAX: 'beaucoup' }, 'WEBHOOK_SUBSCRIPTIONS_MAX');
    refused({ METRICS_CACHE_TTL: 'PT2H' }, 'METRICS_CACHE_TTL');
    refused({ METRICS_TOKEN: 'court' }, 'METRICS_TOKEN');
  });
});

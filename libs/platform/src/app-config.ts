import { loadAuditSettings, type AuditSettings } from './audit-settings';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Duration } from 'luxon';
import { DEFAULT_COULOIRS, parseCouloirsConfig, parseIsoDuration, type CouloirsConfig } from '@segur/domain';
import { ConfigError } from './config.error';
import { boundedMs } from './config-duration';
import { loadMetricsSettings, type MetricsSettings } from './metrics-settings';
import { logFormatOf, type LogFormat } from './logger';
import { loadOidcSettings, providerUrl, type OidcSettings } from './oidc-settings';
import { loadRateLimits, type RateLimits } from './rate-limits';

export type EventStoreKind = 'postgres' | 'eventstoredb' | 'memory';

export interface AppConfig {
  dataDir: string;
  /** Unset: embedded PGlite in `dataDir/pgdata`. */
  databaseUrl: string | null;
  eventStore: EventStoreKind;
  eventStoreUrl: string | null;
  redisUrl: string | null;
  /** BullMQ key prefix (`<prefix>:deadlines:…`): one per environment sharing a Redis server. */
  bullmqPrefix: string;
  /** How the deadlines table repairs lost timers (BullMQ reconciler; embedded loop's longest sleep). */
  deadlines: {
    reconcileIntervalMs: number;
    reconcileGraceMs: number;
    /** How long a claimed deadline stays its firer's: after a crash, another worker fires it then. */
    leaseMs: number;
    /**
     * Most dossier states the worker folds ahead of their deadlines (`DEADLINES_PREFETCH_MAX`; each
     * one costs heap, see docs/performance.md); 0: no prefetch, every batch reads its streams when
     * it fires.
     */
    prefetchMax: number;
  };
  projections: {
    /**
     * Failed attempts of one event in one projection before it is quarantined and the projection
     * goes past it (`PROJECTION_MAX_ATTEMPTS`); a lost connection never counts.
     */
    maxAttempts: number;
  };
  webhooks: {
    /** Delivery log rows older than this are purged (`WEBHOOK_DELIVERY_RETENTION`). */
    deliveryRetentionMs: number;
    /** A subscription failing without a break this long is paused (`WEBHOOK_PAUSE_AFTER`). */
    pauseAfterMs: number;
    /**
     * Deliveries to the machine itself allowed (`WEBHOOK_ALLOW_LOOPBACK=true`): tests and local
     * development only; never private, link-local or other non-public addresses.
     */
    allowLoopback: boolean;
    /**
     * Deliveries also carry the `Segur-*` headers of the first signature scheme
     * (`WEBHOOK_LEGACY_HEADERS`, default true for one release, the migration to Standard Webhooks).
     */
    legacyHeaders: boolean;
    /**
     * AES-256 key of the signing secrets at rest (`WEBHOOK_SECRET_KEY`, 32 bytes in base64 or hex);
     * null in embedded mode without it: generated into DATA_DIR (`webhookSecretKeyOf`).
     */
    secretKey: Buffer | null;
  };
  idempotency: {
    /** A key and its stored answer are forgotten after this (`IDEMPOTENCY_KEY_TTL`). */
    ttlMs: number;
    /**
     * A claim not renewed for this long (its process crashed mid-request) may be taken by a retry
     * (`IDEMPOTENCY_LEASE`); a live request renews its claim well before.
     */
    leaseMs: number;
  };
  /** Stored pieces no event references are removed (`BLOB_SWEEP_INTERVAL`, `BLOB_SWEEP_GRACE`). */
  blobSweep: { intervalMs: number; graceMs: number };
  smtpUrl: string | null;
  /** `audience`/`issuer` (`JWT_AUDIENCE`, `JWT_ISSUER`): checked when set, required with a JWKS URL. */
  jwt: {
    secret: string | null;
    jwksUrl: string | null;
    audience: string | null;
    issuer: string | null;
    /** Claims read as role and SIRET: `role`/`siret`, or OIDC_ROLE_CLAIM/OIDC_SIRET_CLAIM with OIDC. */
    claims: { role: string; siret: string };
  };
  /** OpenID Connect sign-in of the web pages (OIDC_*); null: none configured. */
  oidc: OidcSettings | null;
  modificationReminderAfter: string;
  modificationExpiryAfter: string;
  couloirs: CouloirsConfig;
  port: number;
  host: string;
  logLevel: string;
  /** `LOG_FORMAT` (json, pretty); by default pretty on a terminal, JSON otherwise. */
  logFormat: LogFormat;
  publicUrl: string;
  limits: {
    pieceBytes: number;
    requestBytes: number;
    /** Largest JSON body on any route (`JSON_MAX_BYTES`), parsed only after the token and role. */
    jsonBodyBytes: number;
    /** Largest import file, JSON body or multipart part (`IMPORT_MAX_BYTES`), import routes only. */
    importBytes: number;
  };
  /** Per-principal request rates and quotas (RATE_LIMIT_*, FEED_STREAMS_MAX, WEBHOOK_SUBSCRIPTIONS_MAX). */
  rateLimits: RateLimits;
  /** `/metrics`: cache of its database figures and optional bearer token. */
  metrics: MetricsSettings;
  /** SIGTERM/SIGINT: the whole stop must end within this, or the process exits 1 (`SHUTDOWN_TIMEOUT_MS`). */
  shutdownTimeoutMs: number;
  embedded: boolean;
  /** Signed audit checkpoints (docs/audit.md). */
  audit: AuditSettings;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

const positiveInt = (env: NodeJS.ProcessEnv, name: string, fallback: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) <= 0)
    throw new ConfigError(name, `entier positif attendu, reçu « ${raw} »`);
  return Number(raw);
};

/**
 * What an error may say of a URL that does not parse: its scheme only. Redacting `user:password@`
 * (ConfigError) needs the string to look like a URL; a malformed one may hold a password anywhere.
 */
const unparsedUrl = (raw: string): string => {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(raw)?.[1];
  return scheme ? `${scheme}:… (valeur masquée)` : '(valeur masquée)';
};

const url = (env: NodeJS.ProcessEnv, name: string, protocols: string[]): string | null => {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `URL invalide « ${unparsedUrl(raw)} »`);
  }
  if (!protocols.includes(parsed.protocol))
    throw new ConfigError(
      name,
      `protocole ${parsed.protocol} non supporté (attendu : ${protocols.join(', ')})`,
    );
  return raw;
};

const duration = (env: NodeJS.ProcessEnv, name: string, fallback: string): string => {
  const raw = env[name] ?? fallback;
  const r = parseIsoDuration(raw);
  if (!r.ok) throw new ConfigError(name, r.error);
  return r.value;
};

/** A period in milliseconds, written as an ISO-8601 duration like the J+10 / J+20 ones (`PT1M`, `PT0.5S`). */
const periodMs = (env: NodeJS.ProcessEnv, name: string, fallback: string): number => {
  const raw = env[name] === undefined || env[name] === '' ? fallback : env[name];
  const ms = Duration.fromISO(raw).as('milliseconds');
  if (!Number.isFinite(ms) || ms < 100 || ms > 24 * 3600_000)
    throw new ConfigError(name, `durée ISO-8601 entre PT0.1S et PT24H attendue, reçu « ${raw} »`);
  return Math.round(ms);
};

/** A retention period in milliseconds: at least a day (a shorter log helps nobody debug a receiver). */
const retentionMs = (env: NodeJS.ProcessEnv, name: string, fallback: string): number => {
  const raw = env[name] === undefined || env[name] === '' ? fallback : env[name];
  const ms = Duration.fromISO(raw).as('milliseconds');
  if (!Number.isFinite(ms) || ms < 24 * 3600_000 || ms > 10 * 366 * 24 * 3600_000)
    throw new ConfigError(name, `durée ISO-8601 entre P1D et P10Y attendue, reçu « ${raw} »`);
  return Math.round(ms);
};

/**
 * How long a webhook may fail without a break before it is paused: at least an hour (a receiver's
 * deployment or a night's outage must not pause it), at most 30 days.
 */
const pauseAfterMs = (env: NodeJS.ProcessEnv): number => {
  const raw =
    env.WEBHOOK_PAUSE_AFTER === undefined || env.WEBHOOK_PAUSE_AFTER === '' ? 'P3D' : env.WEBHOOK_PAUSE_AFTER;
  const ms = Duration.fromISO(raw).as('milliseconds');
  if (!Number.isFinite(ms) || ms < 3600_000 || ms > 30 * 24 * 3600_000)
    throw new ConfigError(
      'WEBHOOK_PAUSE_AFTER',
      `durée ISO-8601 entre PT1H et P30D attendue, reçu « ${raw} »`,
    );
  return Math.round(ms);
};

/** A period in milliseconds between `min` and `max` (ISO-8601 duration). */
const secretKey = (env: NodeJS.ProcessEnv): Buffer | null => {
  const raw = env.WEBHOOK_SECRET_KEY;
  if (raw === undefined || raw === '') return null;
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  // Never echo the value: it is a key.
  if (key.length !== 32)
    throw new ConfigError('WEBHOOK_SECRET_KEY', '32 octets attendus (64 caractères hexadécimaux ou base64)');
  return key;
};

const flag = (env: NodeJS.ProcessEnv, name: string): boolean => {
  const raw = env[name];
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  throw new ConfigError(name, `true ou false attendu, reçu « ${raw} »`);
};

const prefetchMax = (env: NodeJS.ProcessEnv): number => {
  const raw =
    env.DEADLINES_PREFETCH_MAX === undefined || env.DEADLINES_PREFETCH_MAX === ''
      ? '100000'
      : env.DEADLINES_PREFETCH_MAX;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n > 10_000_000)
    throw new ConfigError('DEADLINES_PREFETCH_MAX', `entier de 0 à 10 000 000 attendu, reçu « ${raw} »`);
  return n;
};

// BullMQ refuses ':' inside names; the prefix is also used in SCAN patterns, so keep it plain.
const bullmqPrefix = (env: NodeJS.ProcessEnv): string => {
  const raw = env.BULLMQ_PREFIX === undefined || env.BULLMQ_PREFIX === '' ? 'segur' : env.BULLMQ_PREFIX;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(raw))
    throw new ConfigError('BULLMQ_PREFIX', `lettres, chiffres, « - » ou « _ » (64 au plus), reçu « ${raw} »`);
  return raw;
};

/**
 * A couloirs file read and checked as COULOIRS_FILE is (the replay reads a candidate one the same
 * way); `source` names it in the error.
 */
export const readCouloirsFile = (file: string, source = 'COULOIRS_FILE'): CouloirsConfig => {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(source, `lecture de ${file} impossible : ${(e as Error).message}`);
  }
  const r = parseCouloirsConfig(json);
  if (!r.ok) throw new ConfigError(source, r.error.join(' ; '));
  return r.value;
};

const couloirs = (env: NodeJS.ProcessEnv): CouloirsConfig => {
  const file = env.COULOIRS_FILE;
  return file ? readCouloirsFile(file) : DEFAULT_COULOIRS;
};

/** Reads and validates the environment once, at start; a wrong value stops the process. */
export const loadConfig = (env: NodeJS.ProcessEnv = process.env): AppConfig => {
  const dataDir = resolve(env.DATA_DIR ?? './data');
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']);
  const kind = (env.EVENT_STORE ?? 'postgres') as EventStoreKind;
  if (!['postgres', 'eventstoredb', 'memory'].includes(kind))
    throw new ConfigError(
      'EVENT_STORE',
      `valeur « ${String(env.EVENT_STORE)} » inconnue (postgres | eventstoredb | memory)`,
    );
  // Not `new URL()`: a cluster connection string lists several hosts (`esdb://a:2113,b:2113?tls=false`).
  const eventStoreUrl = env.EVENTSTORE_URL && env.EVENTSTORE_URL !== '' ? env.EVENTSTORE_URL : null;
  if (
    eventStoreUrl !== null &&
    !/^esdb(\+discover)?:\/\/[^\s/?#]+(,[^\s/?#]+)*\/?(\?\S*)?$/.test(eventStoreUrl)
  )
    throw new ConfigError(
      'EVENTSTORE_URL',
      `chaîne de connexion esdb://hôte:port[,hôte:port…][?options] attendue, reçu « ${unparsedUrl(eventStoreUrl)} »`,
    );
  if (kind === 'eventstoredb' && !eventStoreUrl)
    throw new ConfigError(
      'EVENTSTORE_URL',
      'obligatoire quand EVENT_STORE=eventstoredb (ex. esdb://localhost:2113?tls=false)',
    );
  if (kind === 'eventstoredb' && !databaseUrl)
    throw new ConfigError(
      'DATABASE_URL',
      'obligatoire quand EVENT_STORE=eventstoredb (les projections vivent dans PostgreSQL)',
    );
  // Keys fetched over plain HTTP could be swapped by anyone on the path: every token would verify
  // (loopback excepted: nobody stands between a process and its own machine).
  const jwksUrl = providerUrl(env, 'JWT_JWKS_URL');
  const audience = env.JWT_AUDIENCE && env.JWT_AUDIENCE !== '' ? env.JWT_AUDIENCE : null;
  const issuer = env.JWT_ISSUER && env.JWT_ISSUER !== '' ? env.JWT_ISSUER : null;
  // A shared identity provider signs tokens for other applications too: only aud/iss tell ours.
  if (jwksUrl && audience === null)
    throw new ConfigError('JWT_AUDIENCE', 'obligatoire avec JWT_JWKS_URL (l’audience attendue des jetons)');
  if (jwksUrl && issuer === null)
    throw new ConfigError('JWT_ISSUER', 'obligatoire avec JWT_JWKS_URL (l’émetteur attendu des jetons)');
  const secret = env.JWT_SECRET && env.JWT_SECRET !== '' ? env.JWT_SECRET : null;
  if (secret !== null && secret.length < 32)
    throw new ConfigError('JWT_SECRET', 'au moins 32 caractères (HS256)');
  if (secret && jwksUrl) throw new ConfigError('JWT_SECRET', 'JWT_SECRET et JWT_JWKS_URL sont exclusifs');
  const oidc = loadOidcSettings(env, { jwksUrl, audience, issuer });
  const embedded = databaseUrl === null;
  if (!embedded && !secret && !jwksUrl)
    throw new ConfigError('JWT_SECRET', 'obligatoire hors mode embarqué (ou JWT_JWKS_URL)');
  const webhookKey = secretKey(env);
  if (!embedded && webhookKey === null)
    throw new ConfigError(
      'WEBHOOK_SECRET_KEY',
      'obligatoire hors mode embarqué (32 octets en base64 ou hexadécimal, partagés par l’API et les workers)',
    );
  const logLevel = env.LOG_LEVEL ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('LOG_LEVEL', `niveau inconnu « ${logLevel} »`);
  if (env.LOG_FORMAT !== undefined && env.LOG_FORMAT !== '' && !['json', 'pretty'].includes(env.LOG_FORMAT))
    throw new ConfigError('LOG_FORMAT', `format inconnu « ${env.LOG_FORMAT} » (json ou pretty)`);
  const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError('PORT', `port invalide « ${env.PORT} »`);
  const mib = 1024 * 1024;
  return {
    dataDir,
    databaseUrl,
    eventStore: kind,
    eventStoreUrl,
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    bullmqPrefix: bullmqPrefix(env),
    deadlines: {
      reconcileIntervalMs: periodMs(env, 'DEADLINES_RECONCILE_INTERVAL', 'PT1M'),
      reconcileGraceMs: periodMs(env, 'DEADLINES_RECONCILE_GRACE', 'PT2M'),
      leaseMs: periodMs(env, 'DEADLINES_LEASE', 'PT30S'),
      prefetchMax: prefetchMax(env),
    },
    projections: { maxAttempts: positiveInt(env, 'PROJECTION_MAX_ATTEMPTS', 5) },
    webhooks: {
      deliveryRetentionMs: retentionMs(env, 'WEBHOOK_DELIVERY_RETENTION', 'P30D'),
      pauseAfterMs: pauseAfterMs(env),
      allowLoopback: flag(env, 'WEBHOOK_ALLOW_LOOPBACK'),
      legacyHeaders: (env.WEBHOOK_LEGACY_HEADERS ?? '') === '' || flag(env, 'WEBHOOK_LEGACY_HEADERS'),
      secretKey: webhookKey,
    },
    idempotency: {
      ttlMs: boundedMs(env, 'IDEMPOTENCY_KEY_TTL', 'PT24H', [60_000, 'PT1M'], [30 * 24 * 3600_000, 'P30D']),
      leaseMs: boundedMs(env, 'IDEMPOTENCY_LEASE', 'PT2M', [1_000, 'PT1S'], [3600_000, 'PT1H']),
    },
    blobSweep: {
      intervalMs: boundedMs(env, 'BLOB_SWEEP_INTERVAL', 'PT6H', [60_000, 'PT1M'], [7 * 24 * 3600_000, 'P7D']),
      graceMs: boundedMs(env, 'BLOB_SWEEP_GRACE', 'P1D', [3600_000, 'PT1H'], [90 * 24 * 3600_000, 'P90D']),
    },
    smtpUrl: url(env, 'SMTP_URL', ['smtp:', 'smtps:']),
    jwt: { secret, jwksUrl, audience, issuer, claims: oidc?.claims ?? { role: 'role', siret: 'siret' } },
    oidc,
    modificationReminderAfter: duration(env, 'MODIFICATION_REMINDER_AFTER', 'P10D'),
    modificationExpiryAfter: duration(env, 'MODIFICATION_EXPIRY_AFTER', 'P20D'),
    couloirs: couloirs(env),
    port,
    host: env.HOST ?? '127.0.0.1',
    logLevel,
    logFormat: logFormatOf(env),
    publicUrl: env.PUBLIC_URL ?? `http://localhost:${port}`,
    limits: {
      pieceBytes: positiveInt(env, 'PIECE_MAX_BYTES', 10 * mib),
      requestBytes: positiveInt(env, 'REQUEST_MAX_BYTES', 50 * mib),
      jsonBodyBytes: positiveInt(env, 'JSON_MAX_BYTES', mib),
      importBytes: positiveInt(env, 'IMPORT_MAX_BYTES', 64 * mib),
    },
    shutdownTimeoutMs: positiveInt(env, 'SHUTDOWN_TIMEOUT_MS', 20_000),
    audit: loadAuditSettings(env),
    rateLimits: loadRateLimits(env),
    metrics: loadMetricsSettings(env),
    embedded,
  };
};

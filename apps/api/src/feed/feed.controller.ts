import { Controller, Get, Headers, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DOSSIER_STREAM_PREFIX, publishedEvent } from '@segur/domain';
import type { Principal } from '@segur/auth';
import { APP_CONFIG, EVENT_STORE, type AppConfig } from '@segur/platform';
import { CLOUDEVENTS_JSON, toCloudEvent } from '@segur/webhooks';
import { ProblemError } from '../http/problem';
import { CurrentPrincipal, Roles } from '../http/auth.decorators';
import type { EventFilter, EventStore, ReadAllOptions, ReadAllPage, RecordedEvent } from '@segur/event-store';
import { eventCatalogueMarkdown } from './event-catalogue';
import { SseStreams } from './sse-streams';

const MAX_LIMIT = 1000;
// Events a live stream holds in memory at most (one store page): with a slow client, what waits is
// this page plus the socket's buffers, whatever the backlog.
const SSE_BATCH = 100;
const HEARTBEAT_MS = Number(process.env.FEED_HEARTBEAT_MS ?? 15_000);
const CURSOR = /^[0-9A-Za-z:._-]{1,200}$/;
const ASP_PREFIX = /^[0-9A-Za-z]{1,40}$/;
/** The stream categories the feed serves: dossier streams only (a fournisseur's history is for auditors). */
const CATEGORIES = [DOSSIER_STREAM_PREFIX.slice(0, -1)];

/**
 * Stream prefix of the `category` and `numeroAsp` filters: a dossier stream is `dossier-<numéro ASP>`,
 * so a numéro ASP prefix is a stream prefix; anything else is refused rather than silently widened.
 */
const streamPrefixOf = (category: string | undefined, aspPrefix: string | undefined): string => {
  if (category !== undefined && category !== '' && !CATEGORIES.includes(category))
    throw new ProblemError(
      400,
      'REQUETE_INVALIDE',
      `category : catégorie inconnue « ${category.slice(0, 40)} » (attendu : ${CATEGORIES.join(', ')})`,
    );
  if (aspPrefix === undefined || aspPrefix === '') return DOSSIER_STREAM_PREFIX;
  if (!ASP_PREFIX.test(aspPrefix))
    throw new ProblemError(
      400,
      'REQUETE_INVALIDE',
      'numeroAsp : préfixe alphanumérique de 1 à 40 caractères attendu',
    );
  return `${DOSSIER_STREAM_PREFIX}${aspPrefix}`;
};

const parseCursor = (v: string | undefined, name: string): string | null => {
  if (v === undefined || v === '') return null;
  if (!CURSOR.test(v)) throw new ProblemError(400, 'CURSEUR_INVALIDE', `${name} : curseur invalide`);
  return v;
};

/** Resolves when the socket can take more: a slow client slows the read, never grows memory. */
const drained = (res: Response): Promise<void> =>
  new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });

@ApiTags('flux d’événements')
@ApiBearerAuth()
@Controller('events')
export class FeedController {
  // Open SSE streams per principal in this process: each holds a socket and a store subscription.
  private readonly openStreams = new Map<string, number>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly streams: SseStreams,
  ) {}

  /**
   * The envelope as published (an e-mail's recipient address removed): ours, or a CloudEvents 1.0
   * structured-mode object.
   */
  private encode(e: RecordedEvent, cloudEvents: boolean): string {
    const published = publishedEvent(e);
    return JSON.stringify(
      cloudEvents ? toCloudEvent(published, { baseUrl: this.config.publicUrl }) : published,
    );
  }

  @Get()
  @Roles('service', 'auditeur')
  @ApiOperation({
    summary: 'Flux global des événements (NDJSON paginé, ou SSE en direct avec Accept: text/event-stream)',
    description: `NDJSON : une enveloppe par ligne, en-tête \`X-Next-Cursor\` à repasser en \`after\`. SSE : \`id:\` = curseur, reprise avec \`Last-Event-ID\`, battements \`: heartbeat\`.\n\n${eventCatalogueMarkdown()}`,
  })
  @ApiProduces('application/x-ndjson', CLOUDEVENTS_JSON, 'text/event-stream')
  @ApiQuery({ name: 'after', required: false, description: 'Curseur exclusif (position d’une enveloppe)' })
  @ApiQuery({ name: 'types', required: false, description: 'Types séparés par des virgules' })
  @ApiQuery({ name: 'limit', required: false, description: `1 à ${MAX_LIMIT} (NDJSON)` })
  @ApiQuery({ name: 'category', required: false, description: 'Catégorie de flux : `dossier`' })
  @ApiQuery({ name: 'numeroAsp', required: false, description: 'Préfixe de numéro ASP (ex. `FINSAS`)' })
  @ApiQuery({
    name: 'format',
    required: false,
    enum: ['envelope', 'cloudevents'],
    description: `\`cloudevents\` : chaque ligne (ou \`data:\` SSE) est un CloudEvent 1.0 JSON ; aussi avec Accept: ${CLOUDEVENTS_JSON}`,
  })
  async feed(
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Res() res: Response,
    @Headers('accept') accept = '',
    @Headers('last-event-id') lastEventId?: string,
    @Query('after') afterQ?: string,
    @Query('types') typesQ?: string,
    @Query('limit') limitQ?: string,
    @Query('category') categoryQ?: string,
    @Query('numeroAsp') aspQ?: string,
    @Query('format') formatQ?: string,
  ): Promise<void> {
    if (formatQ !== undefined && formatQ !== 'envelope' && formatQ !== 'cloudevents')
      throw new ProblemError(400, 'REQUETE_INVALIDE', 'format : envelope ou cloudevents attendu');
    const cloudEvents = formatQ === 'cloudevents' || accept.includes(CLOUDEVENTS_JSON);
    const types = typesQ
      ? typesQ
          .split(',')
          .map((t) => t.trim())
          .filter((t) => t.length > 0)
      : undefined;
    // Dossier events only: a fournisseur's enrolment history (bank details) is for auditors.
    const filter: EventFilter = {
      streamPrefix: streamPrefixOf(categoryQ, aspQ),
      ...(types ? { types } : {}),
    };
    if (accept.includes('text/event-stream')) {
      const from = parseCursor(lastEventId, 'Last-Event-ID') ?? parseCursor(afterQ, 'after');
      return this.streamFor(principal, res, from, cloudEvents, filter);
    }
    const after = parseCursor(afterQ, 'after');
    const limit = limitQ === undefined ? 100 : Number(limitQ);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
      throw new ProblemError(400, 'REQUETE_INVALIDE', `limit : entier de 1 à ${MAX_LIMIT}`);
    const page = await this.readPage({ after, limit, ...(filter ? { filter } : {}) });
    // A sequence of CloudEvents has no media type of its own: NDJSON, one structured-mode event a line.
    res.status(200).type(cloudEvents ? 'application/x-ndjson; format=cloudevents' : 'application/x-ndjson');
    if (page.cursor) {
      res.setHeader('X-Next-Cursor', page.cursor);
      const next = new URLSearchParams(req.query as Record<string, string>);
      next.set('after', page.cursor);
      res.setHeader('Link', `<${req.originalUrl.split('?')[0] ?? ''}?${next.toString()}>; rel="next"`);
    }
    res.send(
      page.events.map((e) => this.encode(e, cloudEvents)).join('\n') + (page.events.length > 0 ? '\n' : ''),
    );
  }

  /** A cursor of the right charset but not one this store issued is the caller's error: 400, not 500. */
  private async readPage(options: ReadAllOptions): Promise<ReadAllPage> {
    try {
      return await this.store.readAll(options);
    } catch (e) {
      if (e instanceof RangeError)
        throw new ProblemError(
          400,
          'CURSEUR_INVALIDE',
          `curseur inconnu de ce journal : ${String(options.after)}`,
        );
      throw e;
    }
  }

  /** At most FEED_STREAMS_MAX open streams per principal; the next one is refused before the 200. */
  private async streamFor(
    principal: Principal,
    res: Response,
    from: string | null,
    cloudEvents: boolean,
    filter: EventFilter,
  ): Promise<void> {
    const key = `${principal.role}:${principal.sub}`;
    const open = this.openStreams.get(key) ?? 0;
    const max = this.config.rateLimits.feedStreams;
    if (open >= max)
      throw new ProblemError(
        429,
        'TROP_DE_FLUX',
        `${max} flux SSE ouverts au plus par principal (FEED_STREAMS_MAX) : fermez-en un avant d’en ouvrir un autre`,
        undefined,
        { 'Retry-After': '30' },
      );
    this.openStreams.set(key, open + 1);
    try {
      await this.stream(res, from, cloudEvents, filter);
    } finally {
      const left = (this.openStreams.get(key) ?? 1) - 1;
      if (left > 0) this.openStreams.set(key, left);
      else this.openStreams.delete(key);
    }
  }

  private async stream(
    res: Response,
    from: string | null,
    cloudEvents: boolean,
    filter?: EventFilter,
  ): Promise<void> {
    // Checked before the 200 goes out; afterwards an error could only be an SSE `error` event.
    if (from !== null) await this.readPage({ after: from, limit: 1 });
    if (this.streams.shuttingDown)
      throw new ProblemError(
        503,
        'ARRET_EN_COURS',
        'Serveur en cours d’arrêt : reconnectez-vous sur une autre instance',
      );
    const controller = new AbortController();
    let markEnded = (): void => undefined;
    const ended = new Promise<void>((resolve) => (markEnded = resolve));
    const unregister = this.streams.add({
      end: () => {
        // A comment the client sees before the close: the stop is deliberate, reconnect with Last-Event-ID.
        if (!res.writableEnded) res.write(': arrêt du serveur, reconnectez-vous avec Last-Event-ID\n\n');
        controller.abort();
        // A client that reads nothing keeps the stream waiting for 'drain': cut it.
        setTimeout(() => res.destroy(), 2_000).unref();
      },
      ended,
    });
    // The response's close, not the request's: the request closes as soon as its body has been read
    // (a GET sent with Content-Type: application/json goes through the JSON parser), which ended
    // the stream at once; the response closes when the client goes away.
    res.on('close', () => controller.abort());
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    res.write('retry: 2000\n\n');
    const heartbeat = setInterval(() => {
      if (!res.writableNeedDrain) res.write(': heartbeat\n\n');
    }, HEARTBEAT_MS);
    heartbeat.unref();
    try {
      const events: AsyncIterable<RecordedEvent> = this.store.subscribeToAll({
        from,
        signal: controller.signal,
        batchSize: SSE_BATCH,
        ...(filter ? { filter } : {}),
      });
      for await (const e of events) {
        if (controller.signal.aborted) break;
        const ok = res.write(`id: ${e.position}\nevent: ${e.type}\ndata: ${this.encode(e, cloudEvents)}\n\n`);
        if (!ok) await this.streams.waitForClient(drained(res));
      }
    } catch (e) {
      if (!controller.signal.aborted)
        res.write(`event: error\ndata: ${JSON.stringify({ detail: (e as Error).message })}\n\n`);
    } finally {
      clearInterval(heartbeat);
      controller.abort();
      res.end();
      unregister();
      markEnded();
    }
  }
}

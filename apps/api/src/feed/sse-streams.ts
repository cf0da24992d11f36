import { Injectable, type OnModuleDestroy } from '@nestjs/common';

interface OpenStream {
  /** Writes the final comment and stops the stream's subscription; its response then ends. */
  end(): void;
  readonly ended: Promise<void>;
}

/**
 * The live SSE responses of this process. At shutdown they are ended first (Nest calls module
 * destroy hooks before closing the HTTP server): an open stream would otherwise keep
 * `server.close()` waiting forever, and its subscription would outlive the store.
 */
@Injectable()
export class SseStreams implements OnModuleDestroy {
  private readonly open = new Set<OpenStream>();
  /** Open streams per principal (`role:sub`), the API's feed and the pages' live notices together. */
  private readonly perPrincipal = new Map<string, number>();
  private closing = false;
  private waiting = 0;

  get shuttingDown(): boolean {
    return this.closing;
  }

  /** Streams stopped on a slow client (socket full, waiting for 'drain'): they read nothing meanwhile. */
  get waitingForClient(): number {
    return this.waiting;
  }

  /** Waits for `drained` while counted as waiting for its client. */
  async waitForClient(drained: Promise<void>): Promise<void> {
    this.waiting += 1;
    try {
      await drained;
    } finally {
      this.waiting -= 1;
    }
  }

  /**
   * One more stream for this principal, unless it already holds `max` (FEED_STREAMS_MAX): then
   * null, and the caller refuses before answering 200. The returned function gives the place back.
   */
  acquire(principal: { role: string; sub: string }, max: number): (() => void) | null {
    const key = `${principal.role}:${principal.sub}`;
    const open = this.perPrincipal.get(key) ?? 0;
    if (open >= max) return null;
    this.perPrincipal.set(key, open + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.perPrincipal.get(key) ?? 1) - 1;
      if (left > 0) this.perPrincipal.set(key, left);
      else this.perPrincipal.delete(key);
    };
  }

  add(stream: OpenStream): () => void {
    this.open.add(stream);
    if (this.closing) stream.end();
    return () => this.open.delete(stream);
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    const streams = [...this.open];
    for (const s of streams) s.end();
    await Promise.all(streams.map((s) => s.ended));
  }
}

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

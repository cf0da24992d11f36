import { request, type ClientRequest, type IncomingMessage } from 'node:http';

export interface SseMessage {
  id: string | null;
  event: string | null;
  data: string;
}

/** A bare SSE client over node:http: it can pause reading (a slow client) and drop the connection. */
export class SseClient {
  readonly messages: SseMessage[] = [];
  readonly comments: string[] = [];
  ended = false;
  private buffer = '';

  private constructor(
    private readonly req: ClientRequest,
    readonly res: IncomingMessage,
  ) {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => this.feed(chunk));
    res.on('end', () => (this.ended = true));
    res.on('error', () => (this.ended = true));
  }

  static open(url: string, headers: Record<string, string>, paused = false): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const req = request(url, { headers: { Accept: 'text/event-stream', ...headers } });
      req.on('error', reject);
      req.on('response', (res) => {
        if (paused) res.pause();
        const client = new SseClient(req, res);
        if (paused) res.pause();
        resolve(client);
      });
      req.end();
    });
  }

  get status(): number {
    return this.res.statusCode ?? 0;
  }

  events(): SseMessage[] {
    return this.messages.filter((m) => m.event !== null && m.event !== 'error');
  }

  pause(): void {
    this.res.pause();
  }

  resume(): void {
    this.res.resume();
  }

  close(): void {
    this.req.destroy();
    this.res.destroy();
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    // Only complete messages count: what a real client would have dispatched before a disconnect.
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const message: SseMessage = { id: null, event: null, data: '' };
      let isMessage = false;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
        else if (line.startsWith('id: ')) message.id = line.slice(4);
        else if (line.startsWith('event: ')) message.event = line.slice(7);
        else if (line.startsWith('data: ')) {
          message.data += line.slice(6);
          isMessage = true;
        }
      }
      if (isMessage) this.messages.push(message);
    }
  }
}

import { createServer } from 'node:http';

/** A TCP port free on 127.0.0.1 right now: for the processes tests, the fault suite and the soak start. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

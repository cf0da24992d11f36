import type { DossierEvent } from '@segur/domain';
import type { RecordedEvent } from '@segur/event-store';
import { randomUUID } from 'node:crypto';

let position = 0;

export const recorded = <E extends DossierEvent>(type: E['type'], data: E['data']): RecordedEvent => {
  position += 1;
  const numeroAsp = (data as { numeroAsp: string }).numeroAsp;
  return {
    id: randomUUID(),
    type,
    schemaVersion: 1,
    streamId: `dossier-${numeroAsp}`,
    streamVersion: position,
    position: String(position).padStart(20, '0'),
    recordedAt: new Date().toISOString(),
    data,
    metadata: { actor: { id: 'test', role: 'system' }, correlationId: randomUUID(), causationId: null },
  };
};

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const waitFor = async (check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> => {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(30);
  }
  throw new Error(`condition non atteinte en ${timeoutMs} ms`);
};

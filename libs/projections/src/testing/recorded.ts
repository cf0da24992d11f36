import type { DossierEvent } from '@segur/domain';
import type { RecordedEvent } from '@segur/event-store';
import { sleep } from '@segur/kernel';
import { randomUUID } from 'node:crypto';

// Fixtures of the libraries that project dossier events (scheduling, notifications): they take
// them from here rather than keep copies.

let position = 0;

/** A recorded dossier event as the runner hands it to projections. */
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

/** Resolves once `check` holds, looking every `stepMs`; throws after `timeoutMs`. */
export const waitFor = async (
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
  stepMs = 50,
): Promise<void> => {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(stepMs);
  }
  if (!(await check())) throw new Error(`condition non atteinte en ${timeoutMs} ms`);
};

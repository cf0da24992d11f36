import { NUMERO_ASP_SEQUENCE_MAX, formatNumeroAsp } from '@segur/domain';
import type { SqlExecutor } from '@segur/event-store';
import type { ImportHeader } from '@segur/import-format';
import { findAvanceNumeros, recordAvanceNumeros } from './avance-lines.index';
import { reserveNumeroAspSequence } from './numero-asp.counter';

/**
 * The numéro ASP of each content hash of a chunk's avance lines: a content already numbered keeps
 * its number (an import is idempotent), a new content takes the next numbers of the couloir's
 * counter. A hash missing from the result could not be numbered: the couloir's numbers ran out.
 */
export const numberAvanceLines = async (
  sql: SqlExecutor,
  header: ImportHeader,
  importId: string,
  contentHashes: readonly string[],
): Promise<Map<string, string>> => {
  const hashes = [...new Set(contentHashes)];
  const numeros = await findAvanceNumeros(sql, header.siret, hashes);
  const fresh = hashes.filter((h) => !numeros.has(h));
  if (fresh.length === 0) return numeros;
  const first = await reserveNumeroAspSequence(sql, header.couloir, fresh.length);
  const assigned: Array<{ contentHash: string; numeroAsp: string }> = [];
  fresh.forEach((h, i) => {
    const sequence = first + i;
    if (sequence <= NUMERO_ASP_SEQUENCE_MAX)
      assigned.push({ contentHash: h, numeroAsp: formatNumeroAsp(header.couloir, sequence) });
  });
  const recorded = await recordAvanceNumeros(sql, header.siret, importId, assigned);
  for (const a of assigned) if (recorded.has(a.contentHash)) numeros.set(a.contentHash, a.numeroAsp);
  // Lost a race with a concurrent import of the same content: its number is the one.
  const raced = assigned.filter((a) => !recorded.has(a.contentHash)).map((a) => a.contentHash);
  for (const [h, n] of await findAvanceNumeros(sql, header.siret, raced)) numeros.set(h, n);
  return numeros;
};

import type { QueryBus } from '@nestjs/cqrs';
import type { Principal } from '@segur/auth';
import { Refusal } from '@segur/kernel';
import type { SuiviPage, VersionView } from '@segur/projections';
import { GetSuiviQuery, GetVersionsQuery } from '@segur/queries';

const POSITION = /^[0-9A-Za-z:._-]{1,200}$/;

/**
 * A read after the page's own write: `apres` (the command's position, carried by the redirect) makes
 * the query wait, bounded, for the read models to hold it, as `X-Min-Position` does for the API. A
 * stale or foreign `apres` in a link only loses that wait, never the page.
 */
const afterWrite = async <T>(
  after: string | undefined,
  read: (position?: string) => Promise<T>,
): Promise<T> => {
  const position = after !== undefined && POSITION.test(after) ? after : undefined;
  try {
    return await read(position);
  } catch (e) {
    if (position !== undefined && e instanceof Refusal && e.kind === 'invalid') return read();
    throw e;
  }
};

export const readSuivi = (
  queries: QueryBus,
  principal: Principal,
  numeroAsp: string,
  after?: string,
): Promise<SuiviPage> =>
  afterWrite(after, (position) => queries.execute(new GetSuiviQuery(numeroAsp, principal, position)));

/** The suivi page's two tabs: Version actuelle (the suivi read model) and Historique (the versions). */
export const suiviWithHistory = async (
  queries: QueryBus,
  principal: Principal,
  numeroAsp: string,
  after?: string,
): Promise<{ suivi: SuiviPage; versions: VersionView[] }> => {
  const suivi = await readSuivi(queries, principal, numeroAsp, after);
  const { versions } = await afterWrite(after, (position) =>
    queries.execute(new GetVersionsQuery(numeroAsp, principal, position)),
  );
  return { suivi, versions };
};

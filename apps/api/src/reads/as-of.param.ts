import { applyDecorators } from '@nestjs/common';
import { ApiQuery, ApiResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { cursorOrigin } from '@segur/event-store';
import type { AsOfMarker, AsOfPoint } from '@segur/projections';
import { ProblemError } from '../http/problem';

// A date-time with its offset (`2023-08-08T07:30:00Z`, `…+02:00`): a date alone or a local time
// would name different instants in Paris and in UTC.
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]\d{2}:[0-5]\d)$/;

/** A real calendar day: Date.parse would roll 2023-02-30 over to 2 March. */
const isDateTime = (v: string): boolean => {
  const m = ISO_DATE_TIME.exec(v);
  if (!m || Number.isNaN(Date.parse(v))) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d;
};

/**
 * `?asOf=` / `?atPosition=` of a dossier's reads: the point to read it at, undefined for today.
 * Both at once, a malformed instant or a position no store issues → 400, before anything is read.
 */
export const parseAsOf = (
  asOf: string | undefined,
  atPosition: string | undefined,
): AsOfPoint | undefined => {
  if (asOf !== undefined && atPosition !== undefined)
    throw new ProblemError(
      400,
      'REQUETE_INVALIDE',
      'asOf et atPosition ne peuvent pas être donnés ensemble : choisissez-en un',
    );
  if (asOf !== undefined) {
    if (!isDateTime(asOf))
      throw new ProblemError(
        400,
        'DATE_INVALIDE',
        `asOf : date et heure ISO-8601 avec fuseau attendues (ex. 2023-08-08T07:30:00Z), reçu « ${asOf} »`,
      );
    return { kind: 'instant', at: new Date(asOf).toISOString() };
  }
  if (atPosition !== undefined) {
    if (cursorOrigin(atPosition) === 'unknown')
      throw new ProblemError(
        400,
        'POSITION_INVALIDE',
        `atPosition : position du journal attendue (telle que X-Position ou le flux d'événements la donnent), reçu « ${atPosition} »`,
      );
    return { kind: 'position', position: atPosition };
  }
  return undefined;
};

/** The answer says where it stopped: header X-As-Of-Position (and the body's `asOf`). */
export const markAsOf = (res: Response, asOf: AsOfMarker | undefined): void => {
  if (asOf) res.setHeader('X-As-Of-Position', asOf.position);
};

/** The OpenAPI description of both parameters and the header, on every as-of read. */
export const ApiAsOf = (): MethodDecorator =>
  applyDecorators(
    ApiQuery({
      name: 'asOf',
      required: false,
      description:
        "Lire le dossier tel qu'il était à cet instant (ISO-8601 avec fuseau), replié depuis son flux d'événements ; exclusif avec atPosition",
    }),
    ApiQuery({
      name: 'atPosition',
      required: false,
      description:
        "Lire le dossier tel qu'il était après l'événement à cette position du journal (X-Position) ; exclusif avec asOf",
    }),
    ApiResponse({
      status: 200,
      description:
        'Avec asOf ou atPosition : le champ asOf { position, eventId, recordedAt } dit où la lecture s’est arrêtée',
      headers: {
        'X-As-Of-Position': {
          description: 'Position du dernier événement replié (lecture asOf / atPosition seulement)',
          schema: { type: 'string' },
        },
      },
    }),
  );

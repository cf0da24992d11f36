import type { CouloirsConfig } from '@segur/domain';
import type { Projection } from '../projection';
import { createListsProjection } from './lists/lists.projection';
import { createReportingProjection } from './reporting/reporting.projection';
import { createSuiviProjection } from './suivi/suivi.projection';
import { createVersionsProjection } from './versions/versions.projection';

/** The read models the worker runs, in one list. */
export const createReadModelProjections = (options: { couloirs?: CouloirsConfig } = {}): Projection[] => [
  createSuiviProjection(options),
  createVersionsProjection(),
  createListsProjection(),
  createReportingProjection(),
];

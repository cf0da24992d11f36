import type { SqlClient } from '@segur/event-store';
import type { Projection } from '../projection';
import { FOURNISSEURS_DDL } from '../read-models/fournisseurs/fournisseurs.read-model';
import { CHECKPOINTS_DDL } from './checkpoints';
import { QUARANTINE_DDL } from '../quarantine/quarantine.table';

// Two workers starting together would race on CREATE TABLE IF NOT EXISTS (duplicate pg_type
// rows): a transaction-scoped advisory lock, keyed by schema, serialises the migrations.
export const migrateProjections = async (
  sql: SqlClient,
  projections: readonly Projection[],
): Promise<void> => {
  await sql.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`projections-migrate:${sql.schema}`]);
    await tx.query(CHECKPOINTS_DDL);
    for (const ddl of QUARANTINE_DDL) await tx.query(ddl);
    // Not a projection (written by the application), but every page joins it.
    await tx.query(FOURNISSEURS_DDL);
    for (const p of projections) for (const ddl of p.migrations) await tx.query(ddl);
  });
};

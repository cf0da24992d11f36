// The read side's way in: one query class and handler per read, each waiting (bounded) for the
// read models to apply the caller's last write when asked to.
export * from './read-your-writes';
export * from './read-query';
export * from './fournisseur-view';
export * from './dossier/suivi/get-suivi.query';
export * from './dossier/versions/get-versions.query';
export * from './dossier/list/list-dossiers.query';
export * from './dossier/events/get-dossier-events.query';
export * from './dossier/piece/get-piece.query';
export * from './reports/get-report-summary.query';
export * from './reports/get-modification-report.query';
export * from './deadlines/list-deadlines.query';
export * from './fournisseur/get-fournisseur.query';
export * from './fournisseur/get-enrolment-history.query';
export * from './dossier/audit/verify-dossier-audit.query';
export * from './queries.module';
export * from './dossier/as-of/dossier-history.reader';

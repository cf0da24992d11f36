// The import use cases: an avance or solde file, line by line through the many-dossiers pipeline,
// with its pieces, its numbering and its report.
export * from './import-file';
export * from './import-file.command';
export * from './import-file.reader';
export * from './import-pieces';
export * from './import-request';
export * from './import-report.types';
export * from './imports.migrations';
export * from './avance/import-avance.command';
export * from './solde/import-solde.command';
export * from './report/get-import-report.query';
export * from './imports.module';

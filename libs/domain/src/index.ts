export * from './dossier/dossier.events';
export * from './dossier/dossier.commands';
export * from './dossier/dossier.errors';
export * from './shared/iso-duration.valueType';
export * from './couloir/couloir.config';

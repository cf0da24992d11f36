// Everything that runs from the store rather than from requests: projections from checkpointed
// subscriptions, the timers (and the commands they fire), the mail loop, webhook deliveries.
export * from './projections';
export * from './deadline-prefetch';
export * from './deadlines/deadline-commands';
export * from './deadlines/deadline-firers';
export * from './deadlines/fire-due-deadlines.command';
export * from './deadlines/deadline-firing.module';
export * from './email-recorder';
export * from './worker.runtime';
export * from './worker.module';
export * from './quarantine-metrics';
export * from './quarantine/list-quarantine.query';
export * from './quarantine/retry-quarantined.command';
export * from './quarantine/quarantine.module';
export * from './audit-checkpoints.service';

// What every process stands on: validated configuration, logs, the opened SQL client and event
// store, the pieces' blob store, the DATA_DIR lock, and how a process starts and stops.
export * from './app-config';
export * from './config.error';
export * from './data-dir-lock';
export * from './logger';
export * from './log-context';
export * from './tokens';
export * from './blob-store';
export * from './blob-sweep';
export * from './webhook-secret-key';
export * from './audit-settings';
export * from './infrastructure';
export * from './process-lifecycle';
export * from './metrics';
export * from './process-metrics';
export * from './rate-limits';
export * from './metrics-settings';
export * from './free-port';
export * from './oidc-settings';

// @segur/client: what an integrator needs, with no server code (publishable on its own).
export * from './segur-client';
export * from './feed-event';
export * from './feed-subscription';
export * from './webhook-verification';
export type { paths, components, operations } from './segur-api';

export * from './event-catalogue';
export * from './json-schema';

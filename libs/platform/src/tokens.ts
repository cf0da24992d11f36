/** Injection tokens for what `openInfrastructure` opened (interfaces have no runtime class). */
export const INFRA = Symbol('INFRA');
export const SQL_CLIENT = Symbol('SQL_CLIENT');
export const EVENT_STORE = Symbol('EVENT_STORE');
export const APP_CONFIG = Symbol('APP_CONFIG');
export const LOGGER = Symbol('LOGGER');
export const CLOCK = Symbol('CLOCK');
export const BLOB_STORE = Symbol('BLOB_STORE');

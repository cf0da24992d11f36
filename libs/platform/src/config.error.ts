/**
 * Hides the credentials of any `scheme://user:password@host` in a message: configuration errors end
 * up in logs and terminals, and a DATABASE_URL or REDIS_URL often carries its password.
 */
export const redactCredentials = (text: string): string =>
  text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/«»]*@/gi, '$1***@');

/** A configuration problem: the process stops with a message naming the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(redactCredentials(`Configuration invalide : ${variable} — ${message}`));
    this.name = 'ConfigError';
  }
}

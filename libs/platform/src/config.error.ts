/** A configuration problem: the process stops with a message naming the variable. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Configuration invalide : ${variable} — ${message}`);
    this.name = 'ConfigError';
  }
}

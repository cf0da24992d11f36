// Who is calling: the principal a token stands for, its roles and tenancy, and the token verifier
// (shared by the API's guard and the CLI's `token` command).
export * from './principal';
export * from './jwt-verifier';

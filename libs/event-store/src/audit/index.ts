// The tamper-evident audit trail (docs/audit.md): hash chain, signed checkpoints, verification, export.
export * from './audit-log.port';
export * from './chain-hash';
export * from './merkle';
export * from './checkpoint-signature';
export * from './verify-chain';
export * from './audit-verifier';
export * from './audit-checkpoints';
export * from './audit-bundle';

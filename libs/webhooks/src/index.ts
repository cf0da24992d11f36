// Push subscriptions to the dossier events: their management (commands and queries), their signed,
// ordered, retried delivery from each subscription's own cursor, and their tables.
export * from './webhook-subscriptions';
export * from './webhook.dispatcher';
export * from './webhook-signature';
export * from './webhook-url';
export * from './webhook-target';
export * from './webhook-post';
export * from './webhook-secret-box';
export * from './webhook.migrations';
export * from './webhooks.module';
export * from './subscribe/create-webhook.command';
export * from './rotate-secret/rotate-webhook-secret.command';
export * from './resume/resume-webhook.command';
export * from './delete/delete-webhook.command';
export * from './list/list-webhooks.query';
export * from './deliveries/list-webhook-deliveries.query';
export * from './cloud-event';

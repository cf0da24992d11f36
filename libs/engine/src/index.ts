// The composition root every process starts from: the infrastructure opened with every table, and
// the Nest module that mounts the CommandBus, the QueryBus and every use case.
export * from './engine.module';
export * from './migrations';
export * from './open-engine';

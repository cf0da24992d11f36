export * from './given-when-then';
export * from './seed-fixtures';

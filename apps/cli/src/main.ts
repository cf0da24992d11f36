import 'reflect-metadata';
import { Command } from 'commander';
import { ConfigError, DataDirLockedError } from '@segur/application';
import { registerTokenCommand } from './commands/token.command';
import { registerImportCommand } from './commands/import.command';
import { registerRebuildCommand } from './commands/rebuild.command';

const program = new Command('segur')
  .description('Administration du moteur de dossiers Ségur (import, rebuild, token)')
  .showHelpAfterError();
registerTokenCommand(program);
registerImportCommand(program);
registerRebuildCommand(program);

program.parseAsync(process.argv).catch((e: unknown) => {
  if (e instanceof ConfigError || e instanceof DataDirLockedError) {
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});

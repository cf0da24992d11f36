import 'reflect-metadata';
import { Command } from 'commander';
import { exitOnStartupError } from '@segur/platform';
import { registerTokenCommand } from './commands/token.command';
import { registerImportCommand } from './commands/import.command';
import { registerRebuildCommand } from './commands/rebuild.command';
import { registerQuarantineCommand } from './commands/quarantine.command';
import { registerReplayCommand } from './commands/replay.command';
import { registerAuditCommand } from './commands/audit.command';

const program = new Command('segur')
  .description(
    'Administration du moteur de dossiers Ségur (import, rebuild, quarantine, replay, audit, token)',
  )
  .showHelpAfterError();
registerTokenCommand(program);
registerImportCommand(program);
registerRebuildCommand(program);
registerQuarantineCommand(program);
registerReplayCommand(program);
registerAuditCommand(program);

program.parseAsync(process.argv).catch(exitOnStartupError);

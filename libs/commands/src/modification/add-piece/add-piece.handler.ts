import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import type { Clock } from '@segur/kernel';
import { BLOB_STORE, CLOCK, type BlobStore } from '@segur/platform';
import { DossierCommandHandler } from '../../dossier/dossier-command.handler';
import { CommandPipeline } from '../../pipeline/command-pipeline';
import type { CommandOutcome } from '../../pipeline/command-outcome';
import { AddPieceCommand } from './add-piece.command';

@CommandHandler(AddPieceCommand)
export class AddPieceHandler extends DossierCommandHandler<AddPieceCommand> {
  constructor(
    pipeline: CommandPipeline,
    @Inject(CLOCK) clock: Clock,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {
    super(pipeline, clock);
  }

  override async execute(command: AddPieceCommand): Promise<CommandOutcome> {
    const at = await this.instant();
    const { piece } = command.data;
    return this.pipeline.execute(this.toDomain(command, at), {
      ...command.issuer.context,
      // Stored by content: a retried append stores nothing new.
      beforeAppend: async () => {
        const stored = await this.blobs.put(Buffer.from(command.content));
        if (stored.sha256 !== piece.sha256 || stored.size !== piece.taille)
          throw new Error('pièce : empreinte ou taille différente des octets reçus');
      },
    });
  }
}

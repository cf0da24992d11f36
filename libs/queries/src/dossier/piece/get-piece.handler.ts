import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Readable } from 'node:stream';
import { canSeeSiret } from '@segur/auth';
import { CommandPipeline } from '@segur/commands';
import type { PieceRef } from '@segur/domain';
import { Refusal } from '@segur/kernel';
import { BLOB_STORE, type BlobStore } from '@segur/platform';
import { findPieceInStream } from './piece-lookup';
import { GetPieceQuery } from './get-piece.query';

/** The dossier read and folded as a command would, so tenancy is judged on the same state. */
@QueryHandler(GetPieceQuery)
export class GetPieceHandler implements IQueryHandler<GetPieceQuery, { piece: PieceRef; content: Readable }> {
  constructor(
    private readonly pipeline: CommandPipeline,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  async execute({ numeroAsp, pieceId, principal }: GetPieceQuery) {
    const notFound = new Refusal(
      'not-found',
      'INTROUVABLE',
      `pièce introuvable dans le dossier ${numeroAsp}`,
    );
    const { state, events } = await this.pipeline.load(numeroAsp);
    // Another supplier's dossier answers exactly like a missing one (tenancy).
    if (state.identity === null || !canSeeSiret(principal, state.identity.siret)) throw notFound;
    const piece = findPieceInStream(events, pieceId);
    if (piece === null) throw notFound;
    const content = await this.blobs.open(piece.sha256);
    if (content === null) throw notFound;
    return { piece, content };
  }
}

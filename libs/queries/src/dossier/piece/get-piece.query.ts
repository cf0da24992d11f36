import { Query } from '@nestjs/cqrs';
import type { Principal } from '@segur/auth';
import type { PieceRef } from '@segur/domain';
import type { Readable } from 'node:stream';

/** Une pièce justificative (« Consulter ») : sa référence et son contenu. */
export class GetPieceQuery extends Query<{ piece: PieceRef; content: Readable }> {
  constructor(
    readonly numeroAsp: string,
    readonly pieceId: string,
    readonly principal: Principal,
  ) {
    super();
  }
}

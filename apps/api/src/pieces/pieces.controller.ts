import { Controller, Get, Param, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../http/auth.decorators';
import type { Principal } from '@segur/auth';
import { GetPieceQuery } from '@segur/queries';
import { NumeroAspPipe } from '../dossiers/numero-asp.pipe';

/** RFC 6266: an ASCII fallback plus the exact UTF-8 name. */
const contentDisposition = (nomFichier: string): string => {
  const ascii = nomFichier
    .normalize('NFD')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\]/g, '_');
  return `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(nomFichier)}`;
};

@ApiTags('dossiers — lecture')
@ApiBearerAuth()
@Controller('dossiers/:numeroAsp/pieces')
export class PiecesController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':pieceId')
  @Roles('fournisseur', 'gestionnaire', 'assistance', 'auditeur')
  @ApiProduces('application/pdf')
  @ApiOperation({ summary: '« Consulter » une pièce justificative du dossier (PDF)' })
  async consult(
    @Param('numeroAsp', NumeroAspPipe) numeroAsp: string,
    @Param('pieceId') pieceId: string,
    @CurrentPrincipal() p: Principal,
    @Res() res: Response,
  ): Promise<void> {
    const { piece, content: stream } = await this.queries.execute(new GetPieceQuery(numeroAsp, pieceId, p));
    res.status(200);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Length', String(piece.taille));
    res.setHeader('Content-Disposition', contentDisposition(piece.nomFichier));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, max-age=0');
    await new Promise<void>((resolve, reject) => {
      stream.on('error', reject);
      res.on('finish', resolve);
      res.on('close', resolve);
      stream.pipe(res);
    });
  }
}

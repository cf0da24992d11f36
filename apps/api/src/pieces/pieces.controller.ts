import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  CurrentPrincipal,
  DossierCommandService,
  ProblemError,
  Roles,
  canSeeSiret,
  type BlobStore,
  type Principal,
} from '@segur/application';
import { BLOB_STORE } from '../dossiers/blob-store.provider';
import { NumeroAspPipe } from '../dossiers/numero-asp.pipe';
import { findPieceInStream } from './piece-lookup';

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
  constructor(
    private readonly commands: DossierCommandService,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

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
    const notFound = new ProblemError(404, 'INTROUVABLE', `pièce introuvable dans le dossier ${numeroAsp}`);
    const { state, events } = await this.commands.load(numeroAsp);
    // Another supplier's dossier answers exactly like a missing one (tenancy).
    if (state.identity === null || !canSeeSiret(p, state.identity.siret)) throw notFound;
    const piece = findPieceInStream(events, pieceId);
    if (piece === null) throw notFound;
    const stream = await this.blobs.open(piece.sha256);
    if (stream === null) throw notFound;
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

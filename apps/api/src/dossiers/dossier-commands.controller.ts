import {
  Body,
  Controller,
  Delete,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  AddPieceCommand,
  DeclineModificationCommand,
  EditModificationDraftCommand,
  IssueRecoveryOrderCommand,
  RecordAvancePaymentCommand,
  RecordSoldePaymentCommand,
  RejectSoldeCommand,
  RemovePieceCommand,
  RequestModificationCommand,
  SubmitModificationCommand,
  ValidateSoldeCommand,
  fastUuidV7,
} from '@segur/commands';
import { APP_CONFIG, type AppConfig } from '@segur/platform';
import { RateLimited } from '../http/rate-limit.guard';
import { Roles } from '../http/auth.decorators';
import { requestHash } from '../http/idempotency.service';
import { ProblemError } from '../http/problem';
import { principalOf, type SegurRequest } from '../http/request-context';
import { centsOf as cents, paymentOf } from './command-inputs';
import { CommandHttpService, type IssuedCommand } from './command-http.service';
import {
  AddPieceDto,
  PaymentDto,
  RecoveryOrderDto,
  RejectSoldeDto,
  RequestModificationDto,
  ValidateSoldeDto,
} from './dossier-commands.dto';
import { NumeroAspPipe } from './numero-asp.pipe';
import { pieceIdFromKey } from './piece-id';
import { PieceUploadInterceptor } from './piece-upload.interceptor';
import { uploadedPiece } from './uploaded-piece';

@ApiTags('dossiers — commandes')
@ApiBearerAuth()
@Controller('dossiers/:numeroAsp')
@RateLimited('commands')
export class DossierCommandsController {
  constructor(
    private readonly commands: CommandHttpService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private run(res: Response, command: IssuedCommand): Promise<void> {
    return this.commands.run(res, command);
  }

  @Post('avance/paiement')
  @Roles('gestionnaire')
  @ApiOperation({ summary: 'Enregistrer le paiement de l’avance (« Paiement effectué »)' })
  recordAvancePayment(
    @Param('numeroAsp', NumeroAspPipe) numeroAsp: string,
    @Body() body: PaymentDto,
    @Res() res: Response,
  ): Promise<void> {
    const data = paymentOf(numeroAsp, body);
    return this.run(res, (issuer) => new RecordAvancePaymentCommand(data, issuer));
  }

  @Post('modification')
  @Roles('gestionnaire')
  @ApiOperation({ summary: 'Demander une modification (commentaire obligatoire) → A_MODIFIER' })
  requestModification(
    @Param('numeroAsp', NumeroAspPipe) numeroAsp: string,
    @Body() body: RequestModificationDto,
    @Res() res: Response,
  ): Promise<void> {
    const data = { numeroAsp, commentaire: body.commentaire };
    return this.run(res, (issuer) => new RequestModificationCommand(data, issuer));
  }

  @Patch('modification')
  @Roles('fournisseur')
  @ApiOperation({
    summary: 'Modifier le brouillon : seuls les champs éditables du couloir (SAS : contactSupport)',
    description:
      'Un champ non éditable → 422 CHAMP_NON_MODIFIABLE ; une valeur invalide → 400, rien n’est enregistré.',
  })
  @ApiBody({ schema: { type: 'object', example: { contactSupport: 'test123@gmail.com' } } })
  editDraft(
    @Param('numeroAsp', NumeroAspPipe) numeroAsp: string,
    @Body() body: unknown,
    @Res() res: Response,
  ): Promise<void> {
    // Not a whitelisting DTO on purpose: any field, whatever its value's type, reaches the decider,
    // which refuses a field the couloir does not allow as CHAMP_NON_MODIFIABLE (422) before it looks
    // at values (CHAMP_INVALIDE, 400).
    if (typeof body !== 'object' || body === null || Array.isArray(body) || Object.keys(body).length === 0)
      throw new ProblemError(400, 'REQUETE_INVALIDE', 'Objet JSON des champs à modifier attendu');
    const fields = body as Record<string, unknown>;
    return this.run(res, (issuer) => new EditModificationDraftCommand({ numeroAsp, fields }, issuer));
  }

  @Post('modification/pieces')
  @Roles('fournisseur')
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: { type: { type: 'string' }, file: { type: 'string', format: 'binary' } },
    },
  })
  @ApiOperation({ summary: 'Ajouter une pièce justificative (PDF) au brouillon → 201 {pieceId}' })
  @UseInterceptors(PieceUploadInterceptor)
  async addPiece(
    @Param('numeroAsp', NumeroAspPipe) numeroAsp: string,
    @Body() body: AddPieceDto,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const upload = uploadedPiece(file, this.config.limits.pieceBytes);
    // The file counts in what an Idempotency-Key compares: the same key with other bytes is another request.
    const fingerprint = { type: body.type, nomFichier: upload.nomFichier, sha256: upload.sha256 };
    const req = res.req as SegurRequest;
    const key = req.header('idempotency-key');
    const pieceId = key
      ? pieceIdFromKey(principalOf(req).sub, key, requestHash(req.method, req.path, fingerprint))
      : fastUuidV7();
    const piece = {
      pieceId,
      type: body.type,
      nomFichier: upload.nomFichier,
      taille: upload.taille,
      sha256: upload.sha256,
    };
    // The bytes go to the blob store only once the decision accepts the piece (AddPieceHandler).
    return this.commands.run(
      res,
      (issuer) => new AddPieceCommand({ numeroAsp, piece }, issuer, upload.buffer),
      { status: 201, body: () => ({ pieceId, piece }), fingerprint },
    );
  }

  @Delete('modification/pieces/:pieceId')
  @Roles('fournisseur')
  @HttpCode(204)
  @ApiOperation({ summary: 'Supprimer une pièce ajoutée dans ce brouillon (une pièce antérieure → 409)' })
  async removePiece(
    @Param('numeroAsp', NumeroAspPipe) numeroAsp: string,
    @Param('pieceId') pieceId: string,
    @Res() res: Response,
  ): Promise<void> {
    return this.commands.run(res, (issuer) => new RemovePieceCommand({ numeroAsp, pieceId }, issuer), {
      status: 204,
    });
  }

  @Post('modification/submit')
  @Roles('fournisseur')
  @ApiOperation({ summary: '« Confirmer » : le brouillon devient la version courante → EN_COURS' })
  submit(@Param('numeroAsp', NumeroAspPipe) numeroAsp: string, @Res() res: Response): Promise<void> {
    return this.run(res, (issuer) => new SubmitModificationCommand({ numeroAsp }, issuer));
  }

  @Post('modification/decline')
  @Roles('fournisseur', 'assistance')
  @ApiOperation({ summary: '« Ne pas modifier » : brouillon abandonné → EN_COURS' })
  decline(@Param('numeroAsp', NumeroAspPipe) numeroAsp: string, @Res() res: Response): Promise<void> {
    return this.run(res, (issuer) => new DeclineModificationCommand({ numeroAsp }, issuer));
  }

  @Post('validation')
  @Roles('gestionnaire')
  @ApiOperation({ summary: 'Valider le solde avec les montants décidés (proposition par défaut si absents)' })
  validate(
    @Param('numeroAsp', NumeroAspPipe) numeroAsp: string,
    @Body() body: ValidateSoldeDto,
    @Res() res: Response,
  ): Promise<void> {
    const data = {
      numeroAsp,
      engagementRetenuCents: cents(body.engagementRetenu, 'engagementRetenu', true),
      soldeDecideCents: cents(body.soldeDecide, 'soldeDecide', true),
    };
    return this.commands.run(res, (issuer) => new ValidateSoldeCommand(data, issuer), {
      body: (o) => ({ decision: o.state.decision }),
    });
  }

  @Post('rejet')
  @Roles('gestionnaire')
  @ApiOperation({ summary: 'Rejeter le solde (motif obligatoire)' })
  reject(
    @Param('numeroAsp', NumeroAspPipe) numeroAsp: string,
    @Body() body: RejectSoldeDto,
    @Res() res: Response,
  ): Promise<void> {
    return this.run(res, (issuer) => new RejectSoldeCommand({ numeroAsp, motif: body.motif }, issuer));
  }

  @Post('solde/paiement')
  @Roles('gestionnaire')
  @ApiOperation({ summary: 'Enregistrer le paiement du solde' })
  recordSoldePayment(
    @Param('numeroAsp', NumeroAspPipe) numeroAsp: string,
    @Body() body: PaymentDto,
    @Res() res: Response,
  ): Promise<void> {
    const data = paymentOf(numeroAsp, body);
    return this.run(res, (issuer) => new RecordSoldePaymentCommand(data, issuer));
  }

  @Post('recouvrement')
  @Roles('gestionnaire')
  @ApiOperation({ summary: 'Émettre un ordre de recouvrement (contrôle a posteriori)' })
  issueRecoveryOrder(
    @Param('numeroAsp', NumeroAspPipe) numeroAsp: string,
    @Body() body: RecoveryOrderDto,
    @Res() res: Response,
  ): Promise<void> {
    const data = { numeroAsp, montantCents: cents(body.montant, 'montant') ?? 0, motif: body.motif };
    return this.run(res, (issuer) => new IssueRecoveryOrderCommand(data, issuer));
  }
}

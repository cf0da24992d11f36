import { Controller, Get, Param, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Roles } from '../http/auth.decorators';
import type { Principal } from '@segur/auth';
import { avanceSchema, soldeSchema, type ImportKind } from '@segur/import-format';
import {
  GetImportReportQuery,
  ImportAvanceCommand,
  ImportSoldeCommand,
  type ImportReportView,
} from '@segur/imports';
import { IdempotencyService, requestHash, type StoredResponse } from '../http/idempotency.service';
import { LargeJsonBody } from '../http/json-body.interceptor';
import { RateLimited } from '../http/rate-limit.guard';
import { ProblemError } from '../http/problem';
import { problemOf } from '../http/problem-of';
import { correlationIdOf, type SegurRequest } from '../http/request-context';
import { importBodyOf } from './import-body';
import { ImportUploadInterceptor } from './import-upload.interceptor';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const importBodySchema = (schema: Readonly<Record<string, unknown>>) => ({
  schema: {
    oneOf: [
      schema,
      {
        type: 'object',
        properties: { file: { type: 'string', format: 'binary', description: 'le fichier JSON' } },
        additionalProperties: {
          type: 'string',
          format: 'binary',
          description: 'une pièce, nommée par son nomFichier',
        },
      },
    ],
  },
});

@ApiTags('imports')
@ApiBearerAuth()
@Controller('imports')
export class ImportsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Post('avance')
  @Roles('fournisseur', 'assistance')
  @LargeJsonBody()
  @RateLimited('imports')
  @UseInterceptors(ImportUploadInterceptor)
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody(importBodySchema(avanceSchema))
  @ApiOperation({
    summary: 'Importer un fichier de demandes d’avance → rapport avec les numéros ASP attribués',
  })
  importAvance(
    @Req() req: SegurRequest,
    @Res() res: Response,
    @CurrentPrincipal() p: Principal,
  ): Promise<void> {
    return this.run('avance', req, res, p);
  }

  @Post('solde')
  @Roles('fournisseur', 'assistance')
  @LargeJsonBody()
  @RateLimited('imports')
  @UseInterceptors(ImportUploadInterceptor)
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody(importBodySchema(soldeSchema))
  @ApiOperation({ summary: 'Importer un fichier de demandes de solde → rapport par ligne' })
  importSolde(
    @Req() req: SegurRequest,
    @Res() res: Response,
    @CurrentPrincipal() p: Principal,
  ): Promise<void> {
    return this.run('solde', req, res, p);
  }

  @Get(':importId')
  @Roles('fournisseur', 'assistance', 'gestionnaire', 'auditeur')
  @ApiOperation({ summary: 'Le rapport d’un import (son auteur ou le back office)' })
  async report(@Param('importId') importId: string, @CurrentPrincipal() p: Principal) {
    const report = UUID.test(importId)
      ? await this.queries.execute(new GetImportReportQuery(importId, p))
      : null;
    if (report === null)
      throw new ProblemError(404, 'INTROUVABLE', `import ${importId.slice(0, 40)} introuvable`);
    return report;
  }

  private async run(kind: ImportKind, req: SegurRequest, res: Response, principal: Principal): Promise<void> {
    const correlationId = correlationIdOf(req);
    res.setHeader('X-Correlation-Id', correlationId);
    const body = importBodyOf(req);
    const work = async (): Promise<StoredResponse> => {
      const data = { file: body.file, pieces: body.pieces, principal, correlationId };
      let report: ImportReportView;
      try {
        report = await this.commands.execute(
          kind === 'avance' ? new ImportAvanceCommand(data) : new ImportSoldeCommand(data),
        );
      } catch (e) {
        throw problemOf(e);
      }
      return {
        status: 201,
        // Not derived from bootstrap's prefix constant: importing it here would be a module cycle.
        headers: { Location: `/api/v1/imports/${report.importId}` },
        body: report,
      };
    };
    await this.idempotency.send(
      res,
      principal,
      req.header('idempotency-key'),
      () => requestHash('POST', req.path, body.fingerprint()),
      work,
    );
  }
}

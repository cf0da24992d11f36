import type { Request } from 'express';
import { ProblemError } from '../http/problem';
import { CONFLICT_MESSAGE, formErrorsOf } from './fournisseur-routes';
import { isSameOrigin } from './same-origin';

const req = (headers: Record<string, string>): Request =>
  ({ header: (name: string) => headers[name.toLowerCase()] }) as unknown as Request;

describe('isSameOrigin (CSRF defence of the forms)', () => {
  it.each([
    [{ host: 'portail.example', origin: 'https://portail.example' }, true],
    [{ host: '127.0.0.1:3000', origin: 'http://127.0.0.1:3000' }, true],
    [{ host: 'portail.example', origin: 'https://malveillant.example' }, false],
    [{ host: 'portail.example', origin: 'https://portail.example.malveillant.example' }, false],
    [{ host: 'portail.example', origin: 'null' }, false],
    [{ host: 'portail.example', origin: 'pas une url' }, false],
    [{ host: 'portail.example' }, false],
    [{ host: 'portail.example', 'sec-fetch-site': 'same-origin' }, true],
    [{ host: 'portail.example', 'sec-fetch-site': 'cross-site' }, false],
    [{ host: 'portail.example', origin: 'null', 'sec-fetch-site': 'same-origin' }, false],
    [{ host: 'portail.example', origin: 'https://portail.example:8443' }, false],
    [{ host: 'portail.example', referer: 'https://portail.example/gestion/dossiers/FINSAS000001' }, true],
    [{ host: 'portail.example', referer: 'https://portail.example.malveillant.example/' }, false],
    [{ host: 'portail.example', referer: 'pas une adresse' }, false],
    [{ origin: 'https://portail.example' }, false],
  ])('%j → %s', (headers, expected) => {
    expect(isSameOrigin(req(headers))).toBe(expected);
  });
});

describe('formErrorsOf (a problem where the person will look)', () => {
  it('puts a field error under its field, and a summary above', () => {
    const p = new ProblemError(400, 'CHAMP_INVALIDE', 'valeur invalide', [
      { path: 'contactSupport', code: 'CHAMP_INVALIDE', message: 'valeur invalide pour contactSupport' },
    ]);
    expect(formErrorsOf(p, ['contactSupport'], false)).toEqual({
      fields: { contactSupport: 'Valeur invalide pour contactSupport' },
      general: 'Le formulaire contient une erreur : corrigez le champ signalé.',
    });
  });

  it('says a version conflict in French words, not as a field', () => {
    const p = new ProblemError(412, 'CONFLIT_VERSION', 'Version périmée : le dossier est en version 7');
    expect(formErrorsOf(p, ['contactSupport'], false)).toEqual({ general: CONFLICT_MESSAGE });
  });

  it('puts an upload refusal on the file field and an unknown type on the type field', () => {
    const pdf = new ProblemError(
      415,
      'TYPE_NON_SUPPORTE',
      'Les pièces justificatives doivent être des fichiers PDF',
    );
    expect(formErrorsOf(pdf, [], true).file).toBe('Les pièces justificatives doivent être des fichiers PDF');
    const type = new ProblemError(400, 'PIECE_TYPE_INCONNU', 'type inconnu', [
      { path: 'type', code: 'PIECE_TYPE_INCONNU', message: 'type de pièce inconnu pour le couloir SAS : X' },
    ]);
    expect(formErrorsOf(type, [], true).type).toBe('Type de pièce inconnu pour le couloir SAS : X');
  });

  it('keeps a problem without a field above the form', () => {
    const p = new ProblemError(
      409,
      'PIECE_NON_SUPPRIMABLE',
      'vous ne pouvez pas supprimer une pièce jointe présente avant modification',
      [{ path: 'pieceId', code: 'PIECE_NON_SUPPRIMABLE', message: '…' }],
    );
    expect(formErrorsOf(p, ['contactSupport'], false)).toEqual({
      fields: {},
      general: 'Vous ne pouvez pas supprimer une pièce jointe présente avant modification',
    });
  });
});

import type { Principal } from '@segur/auth';
import { importFormPage, importReportPage } from './imports.page';

const fournisseur = { sub: 'f', role: 'fournisseur', sirets: ['79256844600019'] } as unknown as Principal;

describe('import page markup', () => {
  it('puts a file error next to the file field, described by it', () => {
    const out = importFormPage(fournisseur, {
      errors: { file: 'Choisissez le fichier JSON des demandes.' },
    }).value;
    expect(out).toContain(
      '<p class="fr-error-text" id="fichier-import-erreur">Choisissez le fichier JSON des demandes.</p>',
    );
    expect(out).toMatch(/id="fichier-import"[^>]*aria-describedby="fichier-import-erreur"/);
  });

  it('shows each error of the report at its line and field, escaped', () => {
    const out = importReportPage(fournisseur, {
      importId: '0190a000-0000-7000-8000-000000000000',
      kind: 'avance',
      fileSha256: 'x',
      receivedAt: '2026-12-06T03:00:00.000Z',
      status: 'partial',
      lines: [
        { numLigne: 1, numeroASP: 'FINSAS000001', result: 'applied', errors: [] },
        {
          numLigne: 2,
          numeroASP: null,
          result: 'rejected',
          errors: [
            { path: 'lignesImport[1].beneficiaire', code: 'FINESS_INVALIDE', message: 'FINESS <invalide>' },
            { path: 'lignesImport[1].contactSupport', code: 'CHAMP_INVALIDE', message: 'contact invalide' },
          ],
        },
      ],
    }).value;
    expect(out).toContain('<th scope="row" rowspan="2">2</th>');
    expect(out).toContain('<code>lignesImport[1].contactSupport</code>');
    expect(out).toContain('FINESS &lt;invalide&gt;');
  });
});

import { isPdfFileName } from './value-object.validators';
import { validateImportFile } from '../validate-import-file';
import { avanceSeed } from '../testing/seed-import-files';

describe('isPdfFileName', () => {
  it.each(['va.pdf', 'VA.PDF', 'a.pdf', 'va..pdf', 'facture 2022.05.pdf', `${'x'.repeat(251)}.pdf`])(
    'accepts %s',
    (name) => {
      expect(isPdfFileName(name)).toBe(true);
    },
  );

  it.each([
    '.pdf',
    '.PDF',
    '..pdf',
    '..va.pdf',
    '...pdf',
    'va.pdf..',
    'dossier/va.pdf',
    'dossier\\va.pdf',
    'va\n.pdf',
    'va.docx',
    '',
    `${'x'.repeat(252)}.pdf`,
  ])('refuses %p', (name) => {
    expect(isPdfFileName(name)).toBe(false);
  });

  it('refuses what is not a text', () => {
    expect([null, undefined, 1, ['va.pdf']].map(isPdfFileName)).toEqual([false, false, false, false]);
  });

  it('refuses a name starting with .. in a line, with the French message', () => {
    const file = avanceSeed();
    file.lignesImport[0]!.piecesJustificatives = [{ type: 'AUTRE_S', nomFichier: '..va.pdf' }];
    const r = validateImportFile('avance', file);
    expect(r.ok && r.lines[0]).toEqual(
      expect.objectContaining({
        errors: [
          {
            path: 'lignesImport[0].piecesJustificatives[0].nomFichier',
            code: 'CHAMP_INVALIDE',
            message:
              'nom de fichier invalide : un fichier .pdf sans chemin est attendu (255 caractères au plus)',
          },
        ],
      }),
    );
  });
});

import { PIECE_CARRYING_EVENT_TYPES, pieceRefsOf } from './piece-refs';

const piece = (pieceId: string) => ({
  pieceId,
  type: 'VA',
  nomFichier: `${pieceId}.pdf`,
  taille: 12,
  sha256: 'a'.repeat(64),
});

describe('the pieces an event names (pieceRefsOf)', () => {
  it('reads an import’s pieces, a submitted round’s piecesAdded and an added piece, in that order', () => {
    expect(pieceRefsOf({ pieces: [piece('p1'), piece('p2')] })).toEqual([piece('p1'), piece('p2')]);
    expect(pieceRefsOf({ piecesAdded: [piece('p3')] })).toEqual([piece('p3')]);
    expect(pieceRefsOf({ piece: piece('p4') })).toEqual([piece('p4')]);
    expect(pieceRefsOf({ piece: piece('p4'), piecesAdded: [piece('p3')], pieces: [piece('p1')] })).toEqual([
      piece('p1'),
      piece('p3'),
      piece('p4'),
    ]);
  });

  it.each([null, undefined, 'p1', 42])('names no piece in data %p', (data) => {
    expect(pieceRefsOf(data)).toEqual([]);
  });

  it('ignores what is not a list, and entries missing an id, a hash or a file name', () => {
    expect(pieceRefsOf({ pieces: piece('p1'), piecesAdded: 'p3', piece: [piece('p4')] })).toEqual([]);
    const { pieceId: _i, ...noId } = piece('x');
    const { sha256: _s, ...noHash } = piece('y');
    const { nomFichier: _n, ...noName } = piece('z');
    expect(
      pieceRefsOf({ pieces: [noId, noHash, noName, null, 'p', { ...piece('p1'), pieceId: 1 }] }),
    ).toEqual([]);
    expect(
      pieceRefsOf({
        pieces: [
          { ...piece('p1'), sha256: 1 },
          { ...piece('p2'), nomFichier: 2 },
        ],
      }),
    ).toEqual([]);
  });

  it('lists the event types that carry pieces', () => {
    expect([...PIECE_CARRYING_EVENT_TYPES].sort()).toEqual([
      'AvanceImported',
      'ModificationSubmitted',
      'PieceAdded',
      'SoldeImported',
    ]);
  });
});

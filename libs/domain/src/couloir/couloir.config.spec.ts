import {
  DEFAULT_COULOIRS,
  couloirOfNumeroAns,
  couloirOfNumeroAsp,
  parseCouloirsConfig,
} from './couloir.config';

// COU-1: a COULOIRS_FILE is refused at start with every problem listed, never half-applied.
const SAS = {
  clotureSolde: '2030-12-31',
  dsr: 'DSR-SAS-SAS-Va1',
  champsEditables: ['contactSupport', 'scenariosEffectivementInstalles.certificatDMP'],
  typesPieces: ['VA', 'FACTURE'],
  piecesObligatoiresSolde: ['VA'],
};
const errorsOf = (input: unknown): string[] => {
  const r = parseCouloirsConfig(input);
  if (r.ok) throw new Error('configuration acceptée à tort');
  return r.error;
};

describe('couloirs configuration (COULOIRS_FILE)', () => {
  it('accepts a valid file as given, and the default configuration', () => {
    expect(parseCouloirsConfig({ SAS })).toEqual({ ok: true, value: { SAS } });
    expect(parseCouloirsConfig(DEFAULT_COULOIRS)).toEqual({ ok: true, value: DEFAULT_COULOIRS });
  });

  it.each([null, 'SAS', 42, [SAS]])('refuses %p: not an object', (input) => {
    expect(errorsOf(input)).toEqual([
      'la configuration des couloirs doit être un objet JSON { "SAS": {...} }',
    ]);
  });

  it('refuses an empty file: no couloir', () => {
    expect(errorsOf({})).toEqual(['aucun couloir configuré']);
  });

  it.each(['sas', 'SA', 'SASS', 'S1S'])('refuses the code %p: three capitals', (code) => {
    expect(errorsOf({ [code]: SAS })).toEqual([`${code} : code de couloir attendu sur 3 majuscules`]);
  });

  it.each([null, 'x'])('refuses a couloir that is %p, not an object', (raw) => {
    expect(errorsOf({ SAS: raw })).toEqual(['SAS : objet attendu', 'aucun couloir configuré']);
  });

  it.each([
    '2030-02-30',
    '2030-13-01',
    '31/12/2030',
    '2030-12-31T00:00:00Z',
    20301231,
    '',
    // An expanded (six-digit) ISO year is a valid date, but not yyyy-MM-dd.
    '+012030-12-31',
    'x2030-12-31',
  ])('refuses the closing date %p', (clotureSolde) => {
    expect(errorsOf({ SAS: { ...SAS, clotureSolde } })).toEqual([
      'SAS.clotureSolde : date yyyy-MM-dd attendue',
    ]);
  });

  it.each(['', 12, undefined])('refuses the dsr %p', (dsr) => {
    expect(errorsOf({ SAS: { ...SAS, dsr } })).toEqual(['SAS.dsr : texte attendu']);
  });

  it('refuses editable fields that are not a list of names, or that the engine cannot edit', () => {
    expect(errorsOf({ SAS: { ...SAS, champsEditables: 'contactSupport' } })).toEqual([
      'SAS.champsEditables : liste de champs attendue',
    ]);
    expect(errorsOf({ SAS: { ...SAS, champsEditables: [''] } })).toEqual([
      'SAS.champsEditables : liste de champs attendue',
    ]);
    expect(errorsOf({ SAS: { ...SAS, champsEditables: [['contactSupport']] } })).toEqual([
      'SAS.champsEditables : liste de champs attendue',
    ]);
    expect(errorsOf({ SAS: { ...SAS, champsEditables: ['contactSupport', 'iban'] } })).toEqual([
      'SAS.champsEditables : champ inconnu iban',
    ]);
  });

  it('refuses piece types that are not a list, and required pieces that are not among them', () => {
    expect(errorsOf({ SAS: { ...SAS, typesPieces: 'VA' } })).toEqual([
      'SAS.typesPieces : liste de types attendue',
    ]);
    expect(errorsOf({ SAS: { ...SAS, typesPieces: [3] } })).toEqual([
      'SAS.typesPieces : liste de types attendue',
    ]);
    expect(errorsOf({ SAS: { ...SAS, typesPieces: [['VA'], 'FACTURE'] } })).toEqual([
      'SAS.typesPieces : liste de types attendue',
    ]);
    expect(errorsOf({ SAS: { ...SAS, piecesObligatoiresSolde: null } })).toEqual([
      'SAS.piecesObligatoiresSolde : liste de types attendue',
    ]);
    expect(errorsOf({ SAS: { ...SAS, piecesObligatoiresSolde: ['VA', 'RIB'] } })).toEqual([
      'SAS.piecesObligatoiresSolde : RIB absent de typesPieces',
    ]);
  });

  it('refuses unknown properties (a typo must not be silently ignored)', () => {
    expect(errorsOf({ SAS: { ...SAS, clotureSold: '2030-12-31', dsr2: 'x' } })).toEqual([
      'SAS.clotureSold : propriété inconnue',
      'SAS.dsr2 : propriété inconnue',
    ]);
  });

  it('lists every problem of every couloir at once, in order', () => {
    expect(errorsOf({ sas: { ...SAS, dsr: '' }, PHA: 'x', MSS: { ...SAS, typesPieces: [] } })).toEqual([
      'sas : code de couloir attendu sur 3 majuscules',
      'sas.dsr : texte attendu',
      'PHA : objet attendu',
      'MSS.piecesObligatoiresSolde : VA absent de typesPieces',
    ]);
  });
});

describe('couloir of a number', () => {
  it.each([
    ['pbrSAS0012', 'SAS'],
    ['abcPHA1', 'PHA'],
    ['PBRSAS0012', null],
    ['pbrSAS', null],
    ['pbrSAS0012x', null],
    ['xpbrSAS0012', null],
  ])('numéro ANS %p → %p', (numeroAns, couloir) => {
    expect(couloirOfNumeroAns(numeroAns)).toBe(couloir);
  });

  it.each([
    ['FINSAS008539', 'SAS'],
    ['FINMSS000001M2', 'MSS'],
    ['FINMSS000001M12', 'MSS'],
    ['FINSAS00853', null],
    ['FINSAS0085390', null],
    ['FINSAS008539M', null],
    ['xFINSAS008539', null],
    ['FINsas008539', null],
  ])('numéro ASP %p → %p', (numeroAsp, couloir) => {
    expect(couloirOfNumeroAsp(numeroAsp)).toBe(couloir);
  });
});

import { dossierStreamId, numeroAspOfStream } from './dossier.events';

describe('dossier stream ids', () => {
  it('give the numéro ASP back from its stream id', () => {
    expect(numeroAspOfStream(dossierStreamId('FINSAS000123'))).toBe('FINSAS000123');
  });

  it('leave any other stream id as it is', () => {
    expect(numeroAspOfStream('import-42')).toBe('import-42');
    expect(numeroAspOfStream('xdossier-FINSAS000123')).toBe('xdossier-FINSAS000123');
  });
});

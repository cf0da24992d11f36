import { isConnectionFailure } from './connection-failure';

const withCode = (code: string, message = 'x'): Error => Object.assign(new Error(message), { code });

describe('isConnectionFailure (what never counts toward quarantine)', () => {
  it.each([
    ['admin shutdown', withCode('57P01')],
    ['connection failure', withCode('08006')],
    ['deadlock', withCode('40P01')],
    ['too many connections', withCode('53300')],
    ['socket reset', withCode('ECONNRESET')],
    ['refused', withCode('ECONNREFUSED')],
    ['pg pool', new Error('Connection terminated unexpectedly')],
    ['pg pool timeout', new Error('timeout exceeded when trying to connect')],
  ])('%s is the database’s fault', (_, error) => expect(isConnectionFailure(error)).toBe(true));

  it.each([
    ['a projection’s own exception', new TypeError("Cannot read properties of undefined (reading 'siret')")],
    ['a not-null violation from its SQL', withCode('23502')],
    ['an invalid input from its SQL', withCode('22P02')],
    ['an unknown column', withCode('42703')],
    ['a thrown string', 'boom'],
  ])('%s is the event’s', (_, error) => expect(isConnectionFailure(error)).toBe(false));
});

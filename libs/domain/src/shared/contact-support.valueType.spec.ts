import { isContactSupport } from './contact-support.valueType';

describe('IMP-8: isContactSupport: an email address or an https link', () => {
  it.each(['pascal.breton@axyus.com', 'test123@gmail.com', 'https://support.axyus.com/sas', 'https://a.fr'])(
    'accepts %s',
    (value) => expect(isContactSupport(value)).toBe(true),
  );

  it.each([
    ['an empty value', ''],
    ['null', null],
    ['a word', 'test123'],
    ['an email without domain dot', 'test@gmail'],
    ['an email with spaces', 'test 123@gmail.com'],
    ['an http link', 'http://support.axyus.com'],
    ['another scheme', 'ftp://support.axyus.com'],
    ['a link with credentials', 'https://user:pw@support.axyus.com'],
    ['surrounding spaces', ' test123@gmail.com '],
    ['a value longer than 320 characters', `${'a'.repeat(320)}@b.fr`],
  ])('refuses %s', (_label, value) => expect(isContactSupport(value)).toBe(false));
});

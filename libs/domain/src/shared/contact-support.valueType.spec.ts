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
    ['a link with a space in its path', 'https://support.axyus.com/sas x'],
    ['text before a link', 'https://support.axyus.com/sas voir https://b.fr'],
    ['a link to a host without a dot', 'https://localhost'],
    ['a link with a user name only', 'https://user@support.axyus.com'],
    ['a link with a password only', 'https://:pw@support.axyus.com'],
    ['a link the URL parser rejects (port out of range)', 'https://support.axyus.com:99999'],
  ])('refuses %s', (_label, value) => expect(isContactSupport(value)).toBe(false));

  it('accepts a value of exactly 320 characters and refuses 321', () => {
    const email = (length: number): string => `${'a'.repeat(length - 5)}@b.fr`;
    expect(email(320)).toHaveLength(320);
    expect(isContactSupport(email(320))).toBe(true);
    expect(isContactSupport(email(321))).toBe(false);
  });
});

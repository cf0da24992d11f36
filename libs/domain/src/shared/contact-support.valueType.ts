// The SAS editable field: "coordonnées de contact ou lien vers la plateforme de support". Either
// an email address or an https link; plain http is refused because users follow it from the portal.
const EMAIL = /^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;
const MAX_LENGTH = 320;

const isHttpsUrl = (value: string): boolean => {
  if (!/^https:\/\/\S+$/i.test(value)) return false;
  try {
    const url = new URL(value);
    return (
      url.protocol === 'https:' && url.hostname.includes('.') && url.username === '' && url.password === ''
    );
  } catch {
    return false;
  }
};

// IMP-8, MOD-6: an email or an https link, checked at import and at every draft edit.
export const isContactSupport = (value: unknown): value is string =>
  typeof value === 'string' &&
  value.length > 0 &&
  value.length <= MAX_LENGTH &&
  value === value.trim() &&
  (EMAIL.test(value) || isHttpsUrl(value));

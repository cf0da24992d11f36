/** Markup already escaped (or written by us): interpolated as is. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlPart = Html | string | number | null | undefined | false | readonly HtmlPart[];

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);

const render = (part: HtmlPart): string => {
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return (part as readonly HtmlPart[]).map(render).join('');
  if (part === null || part === undefined || part === false) return '';
  return escapeHtml(String(part));
};

/**
 * Every interpolated value is escaped unless it is itself `html`: data from the dossiers (a
 * dénomination, a comment written by a gestionnaire) can never become markup.
 */
export const html = (strings: TemplateStringsArray, ...values: HtmlPart[]): Html => {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new Html(out);
};

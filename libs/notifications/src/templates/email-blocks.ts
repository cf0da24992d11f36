// Each template describes its email once, as blocks; text and HTML are both derived from them, so
// the two versions never drift apart and every user-supplied string is escaped in one place.
export type EmailBlock =
  | { kind: 'p'; text: string }
  | { kind: 'quote'; text: string }
  | { kind: 'fields'; rows: readonly (readonly [string, string])[] }
  | { kind: 'list'; items: readonly string[] }
  | { kind: 'link'; label: string; href: string };

export interface EmailDraft {
  subject: string;
  blocks: readonly EmailBlock[];
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export const escapeHtml = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

const GREETING = 'Madame, Monsieur,';
const SIGNATURE = 'Cordialement,\nL’équipe Ségur numérique de l’ASP';
const FOOTER = 'Ce courriel est envoyé automatiquement, merci de ne pas y répondre.';

const blockText = (b: EmailBlock): string => {
  switch (b.kind) {
    case 'p':
      return b.text;
    case 'quote':
      return b.text
        .split('\n')
        .map((l) => `> ${l}`)
        .join('\n');
    case 'fields':
      return b.rows.map(([k, v]) => `- ${k} : ${v}`).join('\n');
    case 'list':
      return b.items.map((i) => `- ${i}`).join('\n');
    case 'link':
      return `${b.label} : ${b.href}`;
  }
};

const multiline = (s: string): string => escapeHtml(s).replace(/\n/g, '<br>');

const blockHtml = (b: EmailBlock): string => {
  switch (b.kind) {
    case 'p':
      return `<p>${multiline(b.text)}</p>`;
    case 'quote':
      return `<blockquote style="border-left:3px solid #000091;margin:0 0 1em;padding:0 1em">${multiline(b.text)}</blockquote>`;
    case 'fields':
      return `<table style="border-collapse:collapse">${b.rows
        .map(
          ([k, v]) =>
            `<tr><th style="text-align:left;padding:2px 8px 2px 0;vertical-align:top">${escapeHtml(k)}</th><td style="padding:2px 0">${multiline(v)}</td></tr>`,
        )
        .join('')}</table>`;
    case 'list':
      return `<ul>${b.items.map((i) => `<li>${multiline(i)}</li>`).join('')}</ul>`;
    case 'link':
      return `<p><a href="${escapeHtml(b.href)}">${escapeHtml(b.label)}</a></p>`;
  }
};

export const renderDraft = (d: EmailDraft): RenderedEmail => {
  const text = [GREETING, ...d.blocks.map(blockText), SIGNATURE, FOOTER].join('\n\n') + '\n';
  const html = [
    '<!DOCTYPE html>',
    '<html lang="fr"><head><meta charset="utf-8"><title>',
    escapeHtml(d.subject),
    '</title></head><body style="font-family:Marianne,Arial,sans-serif;font-size:15px;color:#161616">',
    `<p>${escapeHtml(GREETING)}</p>`,
    ...d.blocks.map(blockHtml),
    `<p>${multiline(SIGNATURE)}</p>`,
    `<p style="color:#666;font-size:12px">${escapeHtml(FOOTER)}</p>`,
    '</body></html>',
  ].join('');
  return { subject: d.subject, text, html };
};

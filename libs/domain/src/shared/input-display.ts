// Error messages quote what the user sent so a line report is readable without the file at hand;
// the quote is bounded so a hostile 10 MB string does not end up in every report and log.
const MAX_SHOWN = 40;

export const showInput = (input: unknown): string => {
  let text: string;
  if (typeof input === 'string') text = JSON.stringify(input);
  else if (typeof input === 'number' || typeof input === 'boolean' || input === null) text = String(input);
  else if (input === undefined) return 'absent';
  else if (Array.isArray(input)) return 'une liste';
  else if (typeof input === 'object') return 'un objet';
  else return typeof input;
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
};

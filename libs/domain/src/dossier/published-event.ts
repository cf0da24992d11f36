/**
 * What the global feed, its SSE stream and webhooks publish of an event. Their readers are
 * integrators (role `service`): an email's recipient address is personal data they do not need, so
 * `EmailSent` goes out without `to`, with `destinataire: 'fournisseur'` (the address is the
 * fournisseur's enrolment email) and its `messageId` as the reference. The dossier's own event
 * list (back office only) keeps the address.
 */
export const publishedEvent = <E extends { type: string; data: unknown }>(event: E): E => {
  if (event.type !== 'EmailSent' || typeof event.data !== 'object' || event.data === null) return event;
  const { to: _to, ...rest } = event.data as Record<string, unknown>;
  return { ...event, data: { ...rest, destinataire: 'fournisseur' } };
};

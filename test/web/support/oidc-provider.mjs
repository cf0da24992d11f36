// A real OpenID Connect provider for the sign-in test (oidc-provider is ESM-only: Jest runs
// CommonJS, so it lives in its own process). Usage:
//   node oidc-provider.mjs <client_id> <redirect_uri>
// Prints one line `{"issuer":"http://127.0.0.1:<port>"}` on stdout once it listens.
// A login `fournisseur-<siret>` signs in a fournisseur of that SIRET; any other login is a role
// (`gestionnaire`, `auditeur`…). Its interactions are oidc-provider's devInteractions (a login
// form, then a consent form), driven by the test in Chromium.
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const [clientId, redirectUri] = process.argv.slice(2);
if (!clientId || !redirectUri) {
  console.error('usage : node oidc-provider.mjs <client_id> <redirect_uri>');
  process.exit(2);
}

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const claimsOf = (login) => {
  const fournisseur = /^fournisseur-(\d{14})$/.exec(login);
  return fournisseur ? { segur_role: 'fournisseur', siret: fournisseur[1] } : { segur_role: login };
};

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      redirect_uris: [redirectUri],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      // A public client: PKCE is its proof (the portal may also be given a secret in production).
      token_endpoint_auth_method: 'none',
    },
  ],
  pkce: { required: () => true },
  claims: { openid: ['sub'], segur: ['segur_role', 'siret'] },
  // The scope's claims go into the ID token even though an access token is issued too: the portal
  // keeps the ID token as its session.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['cle-de-test-du-fournisseur-oidc'] },
  findAccount: async (_ctx, id) => ({
    accountId: id,
    claims: async () => ({ sub: id, ...claimsOf(id) }),
  }),
});
provider.proxy = false;
server.on('request', provider.callback());
process.stdout.write(`${JSON.stringify({ issuer })}\n`);
process.on('SIGTERM', () => server.close(() => process.exit(0)));

import type { Command } from 'commander';
import { JwtVerifier, ROLES, embeddedJwtSecret, type ApiRole } from '@segur/auth';
import { loadConfig } from '@segur/platform';

/** `npm run token -- <role> [siret…]`: a bearer token for local use, signed with the local secret. */
export const registerTokenCommand = (program: Command): void => {
  program
    .command('token')
    .description('Imprime un jeton JWT (HS256) pour un rôle, et pour un fournisseur son ou ses SIRET')
    .argument('<role>', ROLES.join(' | '))
    .argument('[siret...]', 'SIRET du fournisseur')
    .option('--sub <sub>', 'identifiant de l’utilisateur')
    .option('--numero-ans <numeroAns>', 'numéro ANS du fournisseur')
    .option('--expires <duration>', 'durée de validité (ex. 12h, 7d)', '12h')
    .action((role: string, sirets: string[], opts: { sub?: string; numeroAns?: string; expires: string }) => {
      if (!(ROLES as readonly string[]).includes(role)) {
        process.stderr.write(`Rôle inconnu « ${role} » : ${ROLES.join(' | ')}\n`);
        process.exit(2);
      }
      if (role === 'fournisseur' && sirets.length === 0) {
        process.stderr.write(
          'Un jeton fournisseur porte son SIRET : npm run token -- fournisseur 79256844600019\n',
        );
        process.exit(2);
      }
      const config = loadConfig();
      const secret = config.jwt.secret ?? embeddedJwtSecret(config.dataDir);
      const verifier = new JwtVerifier({ secret, jwksUrl: null });
      const token = verifier.sign(
        {
          sub: opts.sub ?? `${role}-local`,
          role: role as ApiRole,
          ...(sirets.length > 0 ? { siret: sirets.length === 1 ? sirets[0] : sirets } : {}),
          ...(opts.numeroAns ? { numeroAns: opts.numeroAns } : {}),
        },
        opts.expires,
      );
      process.stdout.write(`${token}\n`);
    });
};

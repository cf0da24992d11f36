import type { Command } from '@nestjs/cqrs';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  IssueRecoveryOrderCommand,
  RecordAvancePaymentCommand,
  RecordSoldePaymentCommand,
  RejectSoldeCommand,
  RequestModificationCommand,
  ValidateSoldeCommand,
  type CommandOutcome,
  type Issuer,
} from '@segur/commands';
import type { DossierAction } from '@segur/domain';
import { centsOf, paymentOf } from '../../dossiers/command-inputs';
import {
  PaymentDto,
  RecoveryOrderDto,
  RejectSoldeDto,
  RequestModificationDto,
  ValidateSoldeDto,
} from '../../dossiers/dossier-commands.dto';
import { ProblemError } from '../../http/problem';
import { fieldErrorsOf } from '../../http/validation.pipe';

export type FormValues = Readonly<Record<string, string>>;

export interface ActionField {
  name: string;
  label: string;
  hint?: string;
  kind: 'textarea' | 'montant' | 'date';
  required: boolean;
}

/**
 * One gestionnaire action of the back-office page: which domain action offers it (the read side's
 * `allowedActions`, the same list the API returns), its form, and the command it sends. The fields
 * are those of the JSON route's DTO and go through the same validation and the same readers.
 */
export interface GestionAction {
  action: DossierAction;
  /** The URL segment: POST /gestion/dossiers/{n}/{slug}. */
  slug: string;
  title: string;
  button: string;
  fields: ActionField[];
  command: (numeroAsp: string, values: FormValues) => (issuer: Issuer) => Command<CommandOutcome>;
}

const MONTANT_FORM = /^\d+(?:[.,]\d{1,2})?$/;

/**
 * A form's amount ("70 000,00", "70000.5") as the JSON number the DTO expects; a text that is not
 * one stays text, so the DTO refuses it with its own message. Empty: absent.
 */
const montantOfForm = (raw: string | undefined): number | string | undefined => {
  const v = (raw ?? '').replace(/[\s\u00a0\u202f]/g, '');
  if (v === '') return undefined;
  return MONTANT_FORM.test(v) ? Number(v.replace(',', '.')) : v;
};

const textOfForm = (raw: string | undefined): string | undefined => {
  const v = (raw ?? '').trim();
  return v === '' ? undefined : v;
};

/** The JSON route's DTO rules, on the form's values: same messages, same paths (400 REQUETE_INVALIDE). */
const validated = <T extends object>(dto: ClassConstructor<T>, plain: Record<string, unknown>): T => {
  const defined = Object.fromEntries(Object.entries(plain).filter(([, v]) => v !== undefined));
  const instance = plainToInstance(dto, defined);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0)
    throw new ProblemError(400, 'REQUETE_INVALIDE', 'Données invalides', fieldErrorsOf(errors));
  return instance;
};

const PAYMENT_FIELDS: ActionField[] = [
  {
    name: 'datePaiement',
    label: 'Date de paiement',
    hint: 'Format attendu : jj/mm/aaaa. Vide : aujourd’hui.',
    kind: 'date',
    required: false,
  },
  {
    name: 'montant',
    label: 'Montant payé (€)',
    hint: 'Exemple : 30000,00. Vide : le montant décidé.',
    kind: 'montant',
    required: false,
  },
];

const paymentDto = (values: FormValues): PaymentDto =>
  validated(PaymentDto, {
    datePaiement: textOfForm(values.datePaiement),
    montant: montantOfForm(values.montant),
  });

/** In the order the page shows them; only those the domain allows now are shown. */
export const GESTION_ACTIONS: readonly GestionAction[] = [
  {
    action: 'enregistrer_paiement_avance',
    slug: 'paiement-avance',
    title: 'Enregistrer le paiement de l’avance',
    button: 'Enregistrer le paiement',
    fields: PAYMENT_FIELDS,
    command: (numeroAsp, values) => {
      const data = paymentOf(numeroAsp, paymentDto(values));
      return (issuer) => new RecordAvancePaymentCommand(data, issuer);
    },
  },
  {
    action: 'demander_modification',
    slug: 'modification',
    title: 'Demander une modification',
    button: 'Demander la modification',
    fields: [
      {
        name: 'commentaire',
        label: 'Commentaire pour le fournisseur',
        hint: 'Ce que le fournisseur doit corriger ; il le lira sur sa page de suivi et dans le courriel.',
        kind: 'textarea',
        required: true,
      },
    ],
    command: (numeroAsp, values) => {
      const dto = validated(RequestModificationDto, { commentaire: values.commentaire ?? '' });
      return (issuer) => new RequestModificationCommand({ numeroAsp, commentaire: dto.commentaire }, issuer);
    },
  },
  {
    action: 'valider',
    slug: 'validation',
    title: 'Valider le solde',
    button: 'Valider',
    fields: [
      {
        name: 'engagementRetenu',
        label: 'Engagement SEGUR retenu (€)',
        hint: 'Prérempli avec la proposition ; vide : la proposition.',
        kind: 'montant',
        required: false,
      },
      {
        name: 'soldeDecide',
        label: 'Solde décidé (€)',
        hint: 'Prérempli avec la proposition ; vide : la proposition.',
        kind: 'montant',
        required: false,
      },
    ],
    command: (numeroAsp, values) => {
      const dto = validated(ValidateSoldeDto, {
        engagementRetenu: montantOfForm(values.engagementRetenu),
        soldeDecide: montantOfForm(values.soldeDecide),
      });
      const data = {
        numeroAsp,
        engagementRetenuCents: centsOf(dto.engagementRetenu, 'engagementRetenu', true),
        soldeDecideCents: centsOf(dto.soldeDecide, 'soldeDecide', true),
      };
      return (issuer) => new ValidateSoldeCommand(data, issuer);
    },
  },
  {
    action: 'rejeter',
    slug: 'rejet',
    title: 'Rejeter le solde',
    button: 'Rejeter',
    fields: [{ name: 'motif', label: 'Motif du rejet', kind: 'textarea', required: true }],
    command: (numeroAsp, values) => {
      const dto = validated(RejectSoldeDto, { motif: textOfForm(values.motif) ?? '' });
      return (issuer) => new RejectSoldeCommand({ numeroAsp, motif: dto.motif }, issuer);
    },
  },
  {
    action: 'enregistrer_paiement_solde',
    slug: 'paiement-solde',
    title: 'Enregistrer le paiement du solde',
    button: 'Enregistrer le paiement',
    fields: PAYMENT_FIELDS,
    command: (numeroAsp, values) => {
      const data = paymentOf(numeroAsp, paymentDto(values));
      return (issuer) => new RecordSoldePaymentCommand(data, issuer);
    },
  },
  {
    action: 'emettre_ordre_recouvrement',
    slug: 'recouvrement',
    title: 'Émettre un ordre de recouvrement',
    button: 'Émettre l’ordre',
    fields: [
      { name: 'montant', label: 'Montant à recouvrer (€)', kind: 'montant', required: true },
      {
        name: 'motif',
        label: 'Motif',
        hint: 'Exemple : contrôle a posteriori.',
        kind: 'textarea',
        required: true,
      },
    ],
    command: (numeroAsp, values) => {
      const dto = validated(RecoveryOrderDto, {
        montant: montantOfForm(values.montant),
        motif: textOfForm(values.motif) ?? '',
      });
      const data = { numeroAsp, montantCents: centsOf(dto.montant, 'montant') ?? 0, motif: dto.motif };
      return (issuer) => new IssueRecoveryOrderCommand(data, issuer);
    },
  },
];

export const gestionActionOf = (slug: string): GestionAction | undefined =>
  GESTION_ACTIONS.find((a) => a.slug === slug);

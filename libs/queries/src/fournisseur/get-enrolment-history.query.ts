import { Query } from '@nestjs/cqrs';
import type { FieldChange } from '@segur/domain';

/** One change of an enrolment: when, by whom, each field with its previous and new value. */
export interface EnrolmentHistoryEntry {
  at: string;
  type: 'FournisseurEnrolled' | 'FournisseurEnrolmentChanged';
  actor: { id: string; role: string };
  changes: FieldChange[];
}

/** L’historique de l’enrôlement d’un fournisseur (IBAN, BIC, adresse électronique…), pour l’audit. */
export class GetEnrolmentHistoryQuery extends Query<EnrolmentHistoryEntry[]> {
  constructor(readonly siret: string) {
    super();
  }
}

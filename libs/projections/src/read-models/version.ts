import { versionLabel } from '@segur/domain';

export { roundOfVersion } from '@segur/domain';

// Round n of a dossier is the version `M<n>` (the domain's versionLabel); round 0 is the imported
// solde, which has no label.

/** `FINSAS008539` for the imported solde (round 0), `FINSAS008539M1` for round 1, … */
export const numeroAspVersionOf = (numeroAsp: string, round: number): string =>
  round === 0 ? numeroAsp : `${numeroAsp}${versionLabel(round)}`;

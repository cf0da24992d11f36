/** The run's seed: FAULT_SEED when given (to replay a failure), else a fresh one, always logged. */
export const faultSeed = (): number => {
  const given = process.env.FAULT_SEED;
  if (given !== undefined && given !== '') {
    const n = Number(given);
    if (!Number.isInteger(n)) throw new Error(`FAULT_SEED doit être un entier, reçu « ${given} »`);
    return n;
  }
  return Math.floor(Math.random() * 2 ** 31);
};

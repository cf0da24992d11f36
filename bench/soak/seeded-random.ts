/** mulberry32: a small seeded generator, so FAULT_SEED replays the same fault schedule. */
export const seededRandom = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

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

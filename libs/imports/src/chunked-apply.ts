/** A chunk prepared (numbered, its dossiers read) and the dossiers it touches. */
export interface PreparedChunk {
  numeroAsps: readonly string[];
}

/**
 * Runs `apply` on every chunk in order, `prepare`-ing the next one while the current one is
 * decided and appended (the reads are most of the time of a solde chunk; a state read too early
 * only costs a conflict and a retry). Up to `inFlight` chunks are applied at once (a chunk's CPU
 * work overlaps the previous one's round trip), except that a chunk quoting a dossier of a chunk
 * still in flight waits for it: the lines of one dossier apply in file order. On a failure, no
 * apply is still running once the caller hears of it.
 */
export const applyChunks = async <C, P extends PreparedChunk>(
  /** Each chunk is released (set undefined) once prepared: only its prepared form is kept. */
  chunks: Array<C | undefined>,
  prepare: (chunk: C) => Promise<P>,
  apply: (prepared: P) => Promise<void>,
  inFlight: number,
): Promise<void> => {
  let next = chunks[0] !== undefined ? prepare(chunks[0]) : null;
  const running: Array<{ dossiers: ReadonlySet<string>; applied: Promise<void> }> = [];
  try {
    for (let c = 0; c < chunks.length; c++) {
      const prepared = await (next as Promise<P>);
      chunks[c] = undefined;
      const following = chunks[c + 1];
      next = following !== undefined ? prepare(following) : null;
      // Keep the rejection handled even if this chunk throws before awaiting it.
      next?.catch(() => undefined);
      const dossiers = new Set(prepared.numeroAsps);
      while (
        running.length >= inFlight ||
        running.some((r) => prepared.numeroAsps.some((n) => r.dossiers.has(n)))
      )
        await (running.shift() as (typeof running)[number]).applied;
      const applied = apply(prepared);
      applied.catch(() => undefined);
      running.push({ dossiers, applied });
    }
    for (const r of running.splice(0)) await r.applied;
  } finally {
    await Promise.allSettled(running.map((r) => r.applied));
  }
};

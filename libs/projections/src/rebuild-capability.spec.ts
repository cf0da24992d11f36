import { createReadModelProjections } from './read-models/read-model-projections';
import { isRebuildable } from './rebuild-capability';
import { createCountingProjection } from './testing/counting.projection';

// The rebuild specs compare rows, which a rebuild without its fast path leaves the same, only
// slower: this says the read models still take it.
describe('RebuildCapability', () => {
  it('is declared by every read model, each with a replay session', () => {
    for (const projection of createReadModelProjections()) {
      expect(isRebuildable(projection)).toBe(true);
      if (isRebuildable(projection)) expect(typeof projection.replaySession).toBe('function');
    }
  });

  it('is not needed: a projection with apply alone is not rebuildable this way', () => {
    expect(isRebuildable(createCountingProjection())).toBe(false);
  });
});

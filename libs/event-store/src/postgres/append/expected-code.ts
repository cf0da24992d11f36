import type { ExpectedVersion } from '../../event-store.port';
import { EXPECT_ANY, EXPECT_EXISTS } from '../postgres.sql';

/** An expected version as the append statements read it (see EXPECT_ANY): n ≥ 0 exact, 0 no stream. */
export const expectedCode = (expected: ExpectedVersion): number =>
  expected === 'any'
    ? EXPECT_ANY
    : expected === 'stream_exists'
      ? EXPECT_EXISTS
      : expected === 'no_stream'
        ? 0
        : expected;

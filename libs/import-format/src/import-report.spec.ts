import { type ImportLineOutcome, summarizeStatus } from './import-report';

const of = (...results: ImportLineOutcome[]) => results.map((result) => ({ result }));

describe('summarizeStatus', () => {
  it.each([
    [of('unchanged', 'unchanged'), 'duplicate'],
    [of('applied', 'applied'), 'accepted'],
    [of('applied', 'unchanged'), 'accepted'],
    [of('applied', 'autoRejected'), 'accepted'],
    [of('autoRejected'), 'accepted'],
    [of('rejected', 'rejected'), 'rejected'],
    [of('unchanged', 'rejected'), 'rejected'],
    [of('applied', 'rejected'), 'partial'],
    [of('autoRejected', 'rejected'), 'partial'],
    [[], 'rejected'],
  ])('%j → %s', (lines, status) => expect(summarizeStatus(lines)).toBe(status));
});

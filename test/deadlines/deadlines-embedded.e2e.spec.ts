import { describeDeadlineScenarios } from './support/deadline-scenarios';

// No REDIS_URL: the in-process scheduler over the deadlines table (the `npm start` mode).
describeDeadlineScenarios({
  label: 'planificateur intégré',
  timerCache: false,
  environment: () => ({ env: {} }),
  teardown: async () => undefined,
});

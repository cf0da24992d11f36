import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// No Docker engine here: the EventStoreDB nodes' health check of docker/compose.yml is checked as
// text, and its command is run by a real shell with `curl` replaced by the bodies `/info` answers.
const compose = readFileSync(join(__dirname, '../../../../docker/compose.yml'), 'utf8');
const block = compose.slice(compose.indexOf('x-eventstore:'), compose.indexOf('x-app-env:'));
const command = /'(curl -fsS http:\/\/localhost:2113\/info .*\|\| exit 1)',/
  .exec(block)?.[1]
  ?.replaceAll("''", "'");

const healthy = (infoBody: string): boolean => {
  const script = command!.replace('curl -fsS http://localhost:2113/info', `printf '%s' "$INFO"`);
  try {
    execFileSync('sh', ['-c', script], { env: { ...process.env, INFO: infoBody }, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

describe('docker/compose.yml: an EventStoreDB node is healthy only once the cluster has a leader', () => {
  it('asks /info, not /health/live', () => {
    expect(command).toBeDefined();
    expect(block).not.toMatch(/'curl[^']*\/health\/live/);
  });

  it.each<[string, string, boolean]>([
    ['leader', '{"esVersion":"24.10.0","state":"leader","features":{}}', true],
    ['follower', '{"esVersion":"24.10.0","state": "follower"}', true],
    ['electing', '{"esVersion":"24.10.0","state":"preLeader"}', false],
    ['discovering', '{"esVersion":"24.10.0","state":"discoverLeader"}', false],
    ['catching up', '{"esVersion":"24.10.0","state":"catchingUp"}', false],
    ['unknown', '{"esVersion":"24.10.0","state":"unknown"}', false],
  ])('state %s', (_, body, expected) => expect(healthy(body)).toBe(expected));
});

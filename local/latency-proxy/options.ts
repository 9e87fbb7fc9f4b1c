import { parseArgs } from 'node:util';
import { PrefixDepth } from './classify';
import { LatencyProfile, profiles } from './profiles';
import { LatencyProxyOptions } from './server';

export const USAGE = `usage: node --import tsx local/latency-proxy/main.ts --target URL [options]
  --target URL           the stand-in to forward to, e.g. http://127.0.0.1:4566
  --port N               port to listen on (default 0: a free one, printed)
  --host ADDR            interface to listen on (default 127.0.0.1)
  --profile NAME         ${Object.keys(profiles).join(' | ')} (default aws)
  --latency LIST         overrides, ms: s3=20,dynamodb=5,s3:ListObjectVersions=60,default=20
  --s3-write-rate N      PUT/COPY/POST/DELETE per second per prefix (aws: 3500; 0 = no limit)
  --s3-read-rate N       GET/HEAD per second per prefix (aws: 5500; 0 = no limit)
  --s3-prefix-depth D    dir (key up to its last /) or N leading key segments (0 = whole bucket)`;

/** A command-line mistake: the message names the option and how to fix it. */
export class UsageError extends Error {}

function count(name: string, value: string, min: number): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min)
    throw new UsageError(`--${name} must be a whole number >= ${min}, not "${value}"`);
  return n;
}

/** `s3=20,dynamodb=5,default=20` on top of the profile's table. */
function withLatencies(profile: LatencyProfile, list: string): LatencyProfile {
  const latencyMs = { ...profile.latencyMs };
  let defaultMs = profile.defaultMs;
  for (const entry of list.split(',').filter((e) => e.trim() !== '')) {
    const match = /^\s*([a-z0-9-]+(?::[A-Za-z0-9]+)?)\s*=\s*(\S+)\s*$/.exec(entry);
    if (!match)
      throw new UsageError(
        `--latency entry "${entry}" must be service=ms or service:Operation=ms, e.g. s3:PutObject=25`,
      );
    const ms = count(`latency ${match[1]}`, match[2], 0);
    if (match[1] === 'default') defaultMs = ms;
    else latencyMs[match[1]] = ms;
  }
  return { ...profile, defaultMs, latencyMs };
}

const rate = (name: string, value: string) => {
  const n = count(name, value, 0);
  return n === 0 ? Infinity : n;
};

/** Parses the command line into proxy options; every mistake is reported with its fix. */
export function proxyOptions(argv: string[]): LatencyProxyOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      target: { type: 'string' },
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      profile: { type: 'string', default: 'aws' },
      latency: { type: 'string', default: '' },
      's3-write-rate': { type: 'string' },
      's3-read-rate': { type: 'string' },
      's3-prefix-depth': { type: 'string', default: 'dir' },
    },
  });
  if (!values.target) throw new UsageError('--target is required: the stand-in URL to forward to');
  if (!/^http:\/\/[^/]+\/?$/.test(values.target))
    throw new UsageError(`--target must be http://host:port, not "${values.target}"`);
  const base = profiles[values.profile];
  if (!base)
    throw new UsageError(
      `--profile must be one of ${Object.keys(profiles).join(', ')}, not "${values.profile}"`,
    );
  let profile = withLatencies(base, values.latency);
  const write = values['s3-write-rate'];
  const read = values['s3-read-rate'];
  profile = {
    ...profile,
    s3RatePerPrefix: {
      write: write === undefined ? profile.s3RatePerPrefix.write : rate('s3-write-rate', write),
      read: read === undefined ? profile.s3RatePerPrefix.read : rate('s3-read-rate', read),
    },
  };
  const depthFlag = values['s3-prefix-depth'];
  const s3PrefixDepth: PrefixDepth =
    depthFlag === 'dir' ? 'dir' : count('s3-prefix-depth', depthFlag, 0);
  return {
    target: values.target,
    port: count('port', values.port, 0),
    host: values.host,
    profile,
    s3PrefixDepth,
  };
}

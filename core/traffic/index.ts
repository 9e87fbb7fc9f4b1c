export type { TrafficOptions } from './options';
export { seededRandom } from './random';
export { ocspTraffic } from './ocsp';
export { acmeTraffic } from './acme';

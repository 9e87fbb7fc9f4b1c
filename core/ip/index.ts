export {
  ADDRESS_BITS,
  type IpAddress,
  type IpVersion,
  canonicalIp,
  formatIp,
  isCanonicalIp,
  parseIp,
} from './address';
export { CONTRIBUTION_PREFIX_LENGTH, contributionPrefix } from './contribution-prefix';
export { InvalidIpError } from './errors';
export {
  type IpNetwork,
  canonicalCidr,
  formatCidr,
  networkContains,
  networkOf,
  parseCidr,
  parseNetworkOrAddress,
} from './network';
export { cidrSchema, ipAddressSchema, ipFilterSchema } from './schema';

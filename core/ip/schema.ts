import { z } from 'zod';
import { canonicalIp } from './address';
import { InvalidIpError } from './errors';
import { formatCidr, parseNetworkOrAddress, canonicalCidr } from './network';

/**
 * Zod schemas that accept any spelling the parsers accept and output the
 * canonical text, so a record, a filter or a request is canonical the moment
 * it is validated. Refusals become issues at the field's path with the
 * parser's reason (which says how to write it instead).
 */

const canonicalised = (canonical: (text: string) => string) =>
  z.string().transform((text, ctx) => {
    try {
      return canonical(text);
    } catch (error) {
      if (!(error instanceof InvalidIpError)) throw error;
      ctx.issues.push({ code: 'custom', message: error.message, input: text });
      return z.NEVER;
    }
  });

/** An IP address, output in canonical form. */
export const ipAddressSchema = canonicalised(canonicalIp);

/** A network in CIDR notation (host bits must be zero), output in canonical form. */
export const cidrSchema = canonicalised(canonicalCidr);

/** An address or a network, output as a canonical network (an address as its /32 or /128). */
export const ipFilterSchema = canonicalised((text) => formatCidr(parseNetworkOrAddress(text)));

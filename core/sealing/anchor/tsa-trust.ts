import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as pkijs from 'pkijs';
import { z } from 'zod';
import { certificateFingerprint } from './fingerprint';
import { publisherSchema } from './keyring';

export const TSA_TRUST_FORMAT = 'logvault-tsa-trust/1';
/** The file listing the pinned time-stamping authorities, beside their PEM files. */
export const TSA_TRUST_FILE = 'tsas.json';

const certificateFile = z.strictObject({
  /** A PEM file in the same directory. */
  file: z.string().regex(/^[A-Za-z0-9._-]+\.pem$/, 'a .pem file name in the same directory'),
  /** SHA-256 of the certificate's DER, lowercase hex. */
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/, '64 lowercase hex digits'),
});

/**
 * `trust/tsa/tsas.json`: the time-stamping authorities whose tokens anchor
 * the chain, each with the root(s) its TSA certificates must chain to and any
 * intermediate certificates its tokens leave out.
 */
export const tsaTrustSchema = z.strictObject({
  format: z.literal(TSA_TRUST_FORMAT),
  tsas: z.array(
    z.strictObject({
      name: z.string().regex(/^[a-z0-9-]+$/, 'lowercase letters, digits and dashes'),
      url: z.url(),
      roots: z.array(certificateFile).min(1),
      intermediates: z.array(certificateFile),
      publishedBy: publisherSchema,
    }),
  ),
});

export interface TrustedTsa {
  readonly name: string;
  readonly url: string;
  readonly roots: readonly pkijs.Certificate[];
  readonly intermediates: readonly pkijs.Certificate[];
}

export interface TsaTrust {
  readonly tsas: readonly TrustedTsa[];
}

export class TsaTrustError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source} is not a valid TSA trust list:\n  - ${problems.join('\n  - ')}`);
  }
}

/** Reads one pinned certificate, or says which field is wrong and how to fix it. */
function pinned(
  dir: string,
  ref: z.infer<typeof certificateFile>,
  field: string,
  mustBeCa: boolean,
): pkijs.Certificate | string {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(readFileSync(join(dir, ref.file)));
  } catch (error) {
    return `${field}.file: cannot read ${ref.file} as a PEM certificate (${(error as Error).message})`;
  }
  const actual = certificateFingerprint(certificate.raw);
  if (actual !== ref.fingerprint)
    return `${field}.fingerprint: ${ref.file} has SHA-256 ${actual}, not ${ref.fingerprint}; check the file against the TSA's published fingerprint`;
  if (mustBeCa && !certificate.ca) return `${field}: ${ref.file} is not a CA certificate`;
  return pkijs.Certificate.fromBER(certificate.raw);
}

/**
 * Loads `tsas.json` and the PEM files it names from `dir` (`trust/tsa/` for
 * the real TSAs, `.run/tsa/trust/` for the local stand-in). Every file must
 * hash to the fingerprint written beside it; all problems are listed at once.
 */
export function loadTsaTrust(dir: string): TsaTrust {
  const source = join(dir, TSA_TRUST_FILE);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(source, 'utf8'));
  } catch (error) {
    throw new TsaTrustError(source, [(error as Error).message]);
  }
  const parsed = tsaTrustSchema.safeParse(json);
  if (!parsed.success)
    throw new TsaTrustError(
      source,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`),
    );
  const problems: string[] = [];
  const keep = (c: pkijs.Certificate | string) =>
    typeof c === 'string' ? (problems.push(c), []) : [c];
  const tsas = parsed.data.tsas.map((tsa, i) => ({
    name: tsa.name,
    url: tsa.url,
    roots: tsa.roots.flatMap((r, j) => keep(pinned(dir, r, `tsas[${i}].roots[${j}]`, true))),
    intermediates: tsa.intermediates.flatMap((r, j) =>
      keep(pinned(dir, r, `tsas[${i}].intermediates[${j}]`, true)),
    ),
  }));
  if (problems.length > 0) throw new TsaTrustError(source, problems);
  return { tsas };
}

/**
 * The stage's TSAs (`anchoring.tsas`) out of a pinned list, in the stage's
 * order. A name the list lacks is left out here; synth refuses it for the
 * bundled list, and a local run's stand-in list names only `local`.
 */
export function selectTsas(trust: TsaTrust, names: readonly string[]): TsaTrust {
  return {
    tsas: names.flatMap((name) => trust.tsas.filter((tsa) => tsa.name === name)),
  };
}

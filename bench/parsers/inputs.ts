import { createHash } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { CertID, OCSPRequest, Request, TBSRequest } from '@peculiar/asn1-ocsp';
import { acmeTraffic, ocspTraffic, TrafficOptions } from '../../core/traffic';

/**
 * Bench inputs: the project's seeded traffic (Zipf-distributed certificates,
 * real user agents) written in each source format. The OCSP requests are DER
 * built from each line's serial and issuer, so every parser line decodes.
 */

const options = (lines: number, seed = 2026): TrafficOptions => ({
  seed,
  start: new Date('2026-11-28T00:00:00Z'),
  end: new Date('2026-11-29T00:00:00Z'),
  lines,
});

const SHA1 = '1.3.14.3.2.26';
const SHA256 = '2.16.840.1.101.3.4.2.1';

function derRequest(serial: string, issuerKeyHash: string): string {
  const sha256 = issuerKeyHash.length === 64;
  const nameHash = createHash(sha256 ? 'sha256' : 'sha1')
    .update(issuerKeyHash)
    .digest();
  const certId = new CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithm: sha256 ? SHA256 : SHA1 }),
    issuerNameHash: new OctetString(nameHash),
    issuerKeyHash: new OctetString(Buffer.from(issuerKeyHash, 'hex')),
    serialNumber: Uint8Array.from(Buffer.from(serial.length % 2 ? `0${serial}` : serial, 'hex'))
      .buffer,
  });
  const request = new OCSPRequest({
    tbsRequest: new TBSRequest({ requestList: [new Request({ reqCert: certId })] }),
  });
  return Buffer.from(AsnConvert.serialize(request)).toString('base64');
}

export interface OcspLines {
  readonly json: string[];
  readonly combined: string[];
  readonly cloudfront: string[];
  readonly boulderResponder: string[];
}

export interface OcspSeeds {
  /** Traffic seed: each seed has its own certificates, so its requests are new to a decode cache. */
  readonly traffic?: number;
  /** When set, every line asks about its own certificate (serials unique to it): no request repeats. */
  readonly distinct?: number;
}

/**
 * The same OCSP requests as logvault JSON, combined log, CloudFront and
 * Boulder responder lines.
 */
export function ocspLines(
  lines: number,
  boulder: (message: string) => string,
  seeds: OcspSeeds = {},
): OcspLines {
  const out: OcspLines = { json: [], combined: [], cloudfront: [], boulderResponder: [] };
  const derByCert = new Map<string, string>();
  const distinctSeed = seeds.distinct;
  let n = 0;
  for (const traffic of ocspTraffic(options(lines, seeds.traffic))) {
    const item = distinctSeed
      ? { ...traffic, serial: `${distinctSeed}${(n++).toString(16).padStart(12, '0')}` }
      : traffic;
    const key = `${item.issuer_key_hash}/${item.serial}`;
    let der = derByCert.get(key);
    if (!der) derByCert.set(key, (der = derRequest(item.serial, item.issuer_key_hash)));
    const agent = item.user_agent ?? '';
    const latencyMs = item.latency_ms ?? 0;
    const path = `/${encodeURIComponent(der)}`;
    const [date, time] = item.ts.slice(0, 19).split('T');
    out.json.push(JSON.stringify(item));
    out.combined.push(
      `${item.client_ip} - - [28/Nov/2026:${time} +0000] "GET ${path} HTTP/1.1" 200 ${item.bytes} "-" "${agent}" rt=${latencyMs / 1000}`,
    );
    out.cloudfront.push(
      [
        date,
        time,
        'FRA56-P1',
        item.bytes,
        item.client_ip,
        'GET',
        path,
        200,
        encodeURIComponent(agent),
        latencyMs / 1000,
      ].join('\t'),
    );
    const responder = {
      ip: `${item.client_ip}:443`,
      ua: agent,
      method: 'GET',
      path: `/${der}`,
      took: latencyMs * 1e6,
      headers: { Etag: ['"x"'] },
    };
    out.boulderResponder.push(boulder(`Received request: ${JSON.stringify(responder)}`));
  }
  return out;
}

export const CLOUDFRONT_FIELDS =
  '#Fields: date time x-edge-location sc-bytes c-ip cs-method cs-uri-stem sc-status cs(User-Agent) time-taken';

/** ACME events as logvault JSON and as Boulder WFE request lines. */
export function acmeLines(lines: number, boulder: (message: string) => string) {
  const json: string[] = [];
  const wfe: string[] = [];
  for (const item of acmeTraffic(options(lines))) {
    json.push(JSON.stringify(item));
    const event = {
      Slug: `${item.account_id}/1`,
      ua: item.user_agent,
      Identifiers: item.identifiers.map((value) => ({ type: 'dns', value })),
    };
    wfe.push(
      boulder(
        `${item.method} /acme/order/ ${item.account_id} ${item.status} 12 ${item.source_ip} JSON=${JSON.stringify(event)}`,
      ),
    );
  }
  return { json, wfe };
}

import { randomBytes } from 'node:crypto';
import { FIREHOSE } from '../ingest/shipper/limits';
import { validateLine } from '../ingest/shipper/validate';
import type { LogType } from '../ingest/schemas';

/**
 * Canary data: recognisable by anyone reading the data, never a real
 * subscriber's. RFC 5280 §4.1.2.2 makes a certificate serial a positive
 * integer, so serial 0 is never issued; 192.0.2.0/24 is TEST-NET-1
 * (RFC 5737), never a real client. The run id ties every canary to its run.
 */
export const CANARY_SERIAL = '0';
export const CANARY_CLIENT_IP = '192.0.2.1';
/** The ACME account and OCSP responder of every canary: `smoke-canary-<run id>`. */
export const CANARY_MARK = 'smoke-canary-';

/** A new run id: 12 lowercase hex characters (also used in resource names, so [0-9a-f] only). */
export const newRunId = () => randomBytes(6).toString('hex');

export const canaryTag = (runId: string) => `${CANARY_MARK}${runId}`;

const CANARY_AGENT = 'logvault smoke canary';

/** The canary line of a log type as a producer would write it. */
function canaryInput(type: LogType, runId: string, now: Date): Record<string, unknown> {
  const ts = now.toISOString();
  if (type === 'ocsp')
    return {
      ts,
      client_ip: CANARY_CLIENT_IP,
      user_agent: CANARY_AGENT,
      method: 'GET',
      issuer_key_hash: '0'.repeat(40),
      serial: CANARY_SERIAL,
      status: 'good',
      responder_id: canaryTag(runId),
      region: 'smoke',
      latency_ms: 0,
      bytes: 0,
    };
  return {
    ts,
    account_id: canaryTag(runId),
    source_ip: CANARY_CLIENT_IP,
    endpoint: 'new-nonce',
    method: 'HEAD',
    status: 204,
    order_id: null,
    authz_id: null,
    challenge_id: null,
    identifiers: [],
    resolved_ips: [],
    validation_method: null,
    validation_target: null,
    validation_result: null,
    user_agent: CANARY_AGENT,
    request_body: '',
    response_body: '',
  };
}

/**
 * The canary line in its stored form, through the shipper's own validation
 * (schema, plausibility window, `line_id`): what `logvault ship` would send.
 */
export function canaryLine(type: LogType, runId: string, now: Date): string {
  const bytes = Buffer.from(JSON.stringify(canaryInput(type, runId, now)));
  const context = { source: `smoke:${runId}`, now: now.getTime() };
  const result = validateLine(type, { lineNo: 1, bytes }, FIREHOSE.maxRecordBytes, context);
  if (result === undefined || 'rejected' in result)
    throw new Error(
      `the ${type} canary line is refused by the shipper: ${result?.rejected.reason}`,
    );
  return result.accepted.text;
}

/** Whether every non-empty line of an object is a canary line of some run (so it may be deleted). */
export function onlyCanaryLines(text: string): boolean {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  return lines.length > 0 && lines.every((line) => line.includes(`"${CANARY_MARK}`));
}

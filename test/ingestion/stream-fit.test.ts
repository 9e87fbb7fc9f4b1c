import {
  assertRecordFitsStream,
  logTypeOfStream,
  recordMisfitsStream,
} from '../../core/ingest/stream-fit';
import { deliveryStreamName } from '../../core/naming';

/** Which stream takes which records: the check the shipper, and later sealing, call. */
describe('the retention class of a stream', () => {
  it.each([
    [deliveryStreamName('prod', 'ocsp', 1), 'ocsp'],
    [deliveryStreamName('my-ocsp-test', 'acme', 3), 'acme'], // the stage may hold a type word
    ['edge-ocsp-firehose', 'ocsp'],
    ['ACME_events.us', 'acme'],
    ['edge-firehose', undefined],
    ['ocsp-and-acme', undefined],
    ['ocspish-stream', undefined],
  ])('%s holds %s', (stream, type) => {
    expect(logTypeOfStream(stream)).toBe(type);
  });

  it('refuses OCSP records for an acme stream and ACME events for an ocsp stream', () => {
    expect(() => assertRecordFitsStream('ocsp', 'logvault-prod-acme-1')).toThrow(
      'ocsp record refused for stream logvault-prod-acme-1, which holds acme records (another retention class): send ocsp records to a ocsp stream, e.g. logvault-<stage>-ocsp-1, or use --stage',
    );
    expect(recordMisfitsStream('acme', 'logvault-prod-ocsp-2')).toMatch(
      /^acme record refused for stream logvault-prod-ocsp-2, which holds ocsp records/,
    );
    expect(() => assertRecordFitsStream('acme', 'logvault-prod-acme-2')).not.toThrow();
  });
});

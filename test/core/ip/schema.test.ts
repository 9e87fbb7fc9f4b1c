import { z } from 'zod';
import { cidrSchema, ipAddressSchema, ipFilterSchema } from '../../../core/ip';
import { columnsOf } from '../../../core/ingest/schemas/columns';

describe('IP schemas', () => {
  const record = z.strictObject({
    client_ip: ipAddressSchema.describe('IP address the request came from'),
    networks: z.array(ipFilterSchema).optional(),
  });

  it('outputs the canonical text of whatever spelling came in', () => {
    expect(
      record.parse({
        client_ip: '2A06:B318:1215:0718:06EA::051F',
        networks: ['::FFFF:192.0.2.9', '2001:DB8::/32'],
      }),
    ).toEqual({
      client_ip: '2a06:b318:1215:718:6ea::51f',
      networks: ['192.0.2.9/32', '2001:db8::/32'],
    });
    expect(cidrSchema.parse('::ffff:10.0.0.0/104')).toBe('10.0.0.0/8');
  });

  it('reports a refusal at the field, with the reason and the fix', () => {
    const result = record.safeParse({ client_ip: 'fe80::1%eth0', networks: ['10.0.0.5/24'] });
    expect(result.success).toBe(false);
    expect(result.error!.issues).toEqual([
      expect.objectContaining({
        path: ['client_ip'],
        message: expect.stringMatching(/"fe80::1%eth0" is not a valid IP address: zone identifier/),
      }),
      expect.objectContaining({
        path: ['networks', 0],
        message: expect.stringMatching(/write 10.0.0.0\/24 for the network, or 10.0.0.5\/32/),
      }),
    ]);
  });

  it('refuses non-strings as zod does', () => {
    expect(ipAddressSchema.safeParse(3232235777).success).toBe(false);
  });

  it('still maps to a string column in the catalog', () => {
    expect(columnsOf(record)[0]).toEqual({
      name: 'client_ip',
      type: 'string',
      comment: 'IP address the request came from',
    });
  });
});

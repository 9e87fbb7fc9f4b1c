import {
  CONTRIBUTION_PREFIX_LENGTH,
  InvalidIpError,
  canonicalCidr,
  contributionPrefix,
  networkContains,
  parseCidr,
  parseIp,
  parseNetworkOrAddress,
  formatCidr,
} from '../../../core/ip';

const refusal = (text: string) => {
  try {
    canonicalCidr(text);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidIpError);
    return (error as InvalidIpError).message;
  }
  throw new Error(`${text} was accepted`);
};

describe('CIDR networks', () => {
  it.each([
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['192.0.2.0/24', '192.0.2.0/24'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['192.0.2.1/32', '192.0.2.1/32'],
    ['2001:DB8::/32', '2001:db8::/32'],
    ['2001:0db8:0000::/48', '2001:db8::/48'],
    ['2A06:B318:1215::/48', '2a06:b318:1215::/48'],
    ['2a06:b318:1215:718:6ea::51f/128', '2a06:b318:1215:718:6ea::51f/128'],
    ['::/0', '::/0'],
    ['::ffff:10.0.0.0/104', '10.0.0.0/8'],
    ['::ffff:192.0.2.1/128', '192.0.2.1/32'],
    ['::ffff:0:0/96', '0.0.0.0/0'],
  ])('%s is %s', (input, canonical) => {
    expect(canonicalCidr(input)).toBe(canonical);
  });

  it('refuses host bits set, naming the network and the single address', () => {
    expect(refusal('10.0.0.5/24')).toBe(
      '"10.0.0.5/24" is not a valid network (CIDR): host bits are set after the first 24: ' +
        'write 10.0.0.0/24 for the network, or 10.0.0.5/32 for the one address',
    );
    expect(refusal('2A06:B318:1215:718:6EA::51F/48')).toMatch(
      /write 2a06:b318:1215::\/48 for the network, or 2a06:b318:1215:718:6ea::51f\/128 for the one address/,
    );
    expect(refusal('::ffff:10.0.0.1/104')).toMatch(
      /write 10.0.0.0\/8 for the network, or 10.0.0.1\/32/,
    );
    // Below /96 a mapped address's own ffff bits are host bits.
    expect(refusal('::ffff:10.0.0.0/90')).toMatch(/host bits are set after the first 90/);
  });

  it.each([
    ['10.0.0.0', /a network is written address\/prefix-length/],
    ['10.0.0.0/33', /IPv4 prefix length is at most 32, not 33/],
    ['::/129', /IPv6 prefix length is at most 128, not 129/],
    ['10.0.0.0/024', /prefix length "024" must be a decimal number without leading zeros/],
    ['10.0.0.0/', /prefix length "" must be a decimal/],
    ['10.0.0.0/8/8', /prefix length "8\/8"/],
    ['10.0.0.0/-1', /prefix length "-1"/],
    ['010.0.0.0/8', /not a valid network \(CIDR\): octet "010" has a leading zero/],
    ['fe80::%eth0/64', /zone identifier/],
  ])('refuses %s', (input, reason) => {
    expect(refusal(input)).toMatch(reason);
  });

  it('takes a bare address as its single-address network where a filter allows one', () => {
    expect(formatCidr(parseNetworkOrAddress('2A06:B318:1215:718:6EA::51F'))).toBe(
      '2a06:b318:1215:718:6ea::51f/128',
    );
    expect(formatCidr(parseNetworkOrAddress('::ffff:192.0.2.1'))).toBe('192.0.2.1/32');
    expect(formatCidr(parseNetworkOrAddress('192.0.2.0/24'))).toBe('192.0.2.0/24');
  });
});

describe('containment', () => {
  const inside = (network: string, address: string) =>
    networkContains(parseCidr(network), parseIp(address));

  it('matches every spelling of an address inside the network', () => {
    for (const spelling of [
      '2A06:B318:1215:718:6EA::51F',
      '2a06:b318:1215:0718:06ea:0000:0000:051f',
      '2a06:b318:1215:718:6ea::51f',
    ])
      expect(inside('2a06:b318:1215::/48', spelling)).toBe(true);
    expect(inside('2a06:b318:1215:718:6ea::51f/128', '2A06:B318:1215:718:6EA::51F')).toBe(true);
    expect(inside('2a06:b318:1216::/48', '2a06:b318:1215:718:6ea::51f')).toBe(false);
  });

  it('checks the boundaries of an IPv4 network, mapped spellings included', () => {
    expect(inside('192.0.2.0/24', '192.0.2.0')).toBe(true);
    expect(inside('192.0.2.0/24', '192.0.2.255')).toBe(true);
    expect(inside('192.0.2.0/24', '::ffff:192.0.2.7')).toBe(true);
    expect(inside('192.0.2.0/24', '192.0.3.0')).toBe(false);
    expect(inside('192.0.2.0/24', '192.0.1.255')).toBe(false);
    expect(inside('0.0.0.0/0', '203.0.113.9')).toBe(true);
  });

  it('keeps the families apart: ::/0 holds no IPv4 address, 0.0.0.0/0 no IPv6 one', () => {
    expect(inside('::/0', '192.0.2.1')).toBe(false);
    expect(inside('::/0', '::ffff:192.0.2.1')).toBe(false);
    expect(inside('0.0.0.0/0', '::1')).toBe(false);
    expect(inside('::/0', '::c000:201')).toBe(true);
  });
});

describe('contribution prefix', () => {
  it('is the /24 of an IPv4 address and the /48 of an IPv6 one', () => {
    expect(CONTRIBUTION_PREFIX_LENGTH).toEqual({ 4: 24, 6: 48 });
    expect(contributionPrefix('192.0.2.77')).toBe('192.0.2.0/24');
    expect(contributionPrefix('::ffff:192.0.2.77')).toBe('192.0.2.0/24');
    expect(contributionPrefix('2A06:B318:1215:718:6EA::51F')).toBe('2a06:b318:1215::/48');
    expect(contributionPrefix('2001:db8:0:ffff::1')).toBe('2001:db8::/48');
    expect(contributionPrefix('::1')).toBe('::/48');
    expect(contributionPrefix('0:0:1:ffff::')).toBe('0:0:1::/48');
  });

  it('puts every address a host can pick in its /64 under one prefix', () => {
    const prefixes = new Set(
      ['2001:db8:7:1::1', '2001:db8:7:1:dead:beef:0:1', '2001:db8:7:ffff::9'].map(
        contributionPrefix,
      ),
    );
    expect([...prefixes]).toEqual(['2001:db8:7::/48']);
  });
});

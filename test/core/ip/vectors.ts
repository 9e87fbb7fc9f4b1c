/**
 * Spellings and their canonical text, shared by the unit tests and the check
 * against Trino's IPADDRESS type (the engine behind Athena), so both sides
 * are held to the same list.
 */
export const canonicalVectors: readonly (readonly [input: string, canonical: string])[] = [
  // The address: upper case, zero-padded, mixed, already canonical.
  ['2A06:B318:1215:718:6EA::51F', '2a06:b318:1215:718:6ea::51f'],
  ['2a06:b318:1215:0718:06ea:0000:0000:051f', '2a06:b318:1215:718:6ea::51f'],
  ['2A06:B318:1215:0718:06EA:0:0:051F', '2a06:b318:1215:718:6ea::51f'],
  ['2a06:B318:1215:718:6Ea:0::51f', '2a06:b318:1215:718:6ea::51f'],
  ['2a06:b318:1215:718:6ea::51f', '2a06:b318:1215:718:6ea::51f'],
  // RFC 5952 §4: leading zeros, longest run, first run on a tie, lone zero kept.
  ['2001:0db8::0001', '2001:db8::1'],
  ['2001:db8:0:0:0:0:0:1', '2001:db8::1'],
  ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
  ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
  ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
  ['2001:db8::1:0:0:0', '2001:db8:0:0:1::'],
  ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
  ['::2:3:4:5:6:7:8', '0:2:3:4:5:6:7:8'],
  ['0:0:1::', '0:0:1::'],
  ['FE80::1', 'fe80::1'],
  // All zeros, loopback, all ones.
  ['::', '::'],
  ['0:0:0:0:0:0:0:0', '::'],
  ['::1', '::1'],
  ['0000:0000:0000:0000:0000:0000:0000:0001', '::1'],
  ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
  // IPv4-mapped IPv6 is the IPv4 address, in every spelling.
  ['::ffff:192.0.2.1', '192.0.2.1'],
  ['::FFFF:C000:0201', '192.0.2.1'],
  ['0:0:0:0:0:ffff:192.0.2.1', '192.0.2.1'],
  ['::ffff:0.0.0.0', '0.0.0.0'],
  ['::ffff:0:0', '0.0.0.0'],
  // Other embedded IPv4 forms are IPv6 addresses, printed in hex.
  ['::192.0.2.1', '::c000:201'],
  ['64:ff9b::192.0.2.1', '64:ff9b::c000:201'],
  ['2001:db8:1:2:3:4:192.0.2.1', '2001:db8:1:2:3:4:c000:201'],
  ['::fffe:192.0.2.1', '::fffe:c000:201'],
  // IPv4.
  ['192.0.2.1', '192.0.2.1'],
  ['0.0.0.0', '0.0.0.0'],
  ['255.255.255.255', '255.255.255.255'],
  ['10.0.0.0', '10.0.0.0'],
];

/** Texts refused, and a fragment of the reason each must give. */
export const refusedVectors: readonly (readonly [input: string, reason: RegExp])[] = [
  ['', /it is empty/],
  [' 192.0.2.1', /whitespace: remove it/],
  ['192.0.2.1\n', /whitespace/],
  ['01.2.3.4', /octet "01" has a leading zero.*octal.*without leading zeros/],
  ['192.0.2.01', /octet "01" has a leading zero/],
  ['010.0.0.1', /octet "010" has a leading zero/],
  ['00.0.0.0', /octet "00" has a leading zero/],
  ['0x7f.0.0.1', /octet "0x7f" is not a decimal number/],
  ['127.1', /four decimal octets.*this has 2 parts/],
  ['1.2.3.4.5', /this has 5 parts/],
  ['3232235777', /four decimal octets.*this has 1 part$/],
  ['256.1.1.1', /octet "256" is above 255/],
  ['1..2.3', /an octet is empty/],
  ['1.2.3.', /an octet is empty/],
  ['fe80::1%eth0', /zone identifier "%eth0" is not allowed.*without it/],
  ['fe80::1%25eth0', /zone identifier "%25eth0"/],
  ['fe80::1%', /zone identifier "%"/],
  ['1::2::3', /"::" may appear only once/],
  [':::', /a group is empty/],
  [':1::', /a group is empty/],
  ['1::2:', /a group is empty/],
  [':1:2:3:4:5:6:7', /a group is empty/],
  ['1:2:3:4:5:6:7:8:9', /without "::" has 8 groups; this has 9/],
  ['1:2:3:4:5:6:7', /without "::" has 8 groups; this has 7/],
  ['::1:2:3:4:5:6:7:8', /"::" stands for at least one zero group, but 8 groups/],
  ['1:2:3:4:5:6:1.2.3.4::', /"::" stands for at least one zero group|may only come last/],
  ['12345::', /group "12345" has more than four hex digits/],
  ['00001::', /group "00001" has more than four hex digits/],
  ['g::1', /character "g" is not allowed/],
  ['[::1]', /character "\[" is not allowed/],
  ['::1/128', /character "\/" is not allowed/],
  ['1.2.3.4::', /dotted IPv4 part "1.2.3.4" may only come last/],
  ['2001:db8::1.2.3.4:1', /may only come last/],
  ['::ffff:01.2.3.4', /embedded IPv4 part: octet "01" has a leading zero/],
  ['::ffff:1.2.3', /embedded IPv4 part: .*this has 3 parts/],
  ['::ffff:256.0.0.1', /embedded IPv4 part: octet "256" is above 255/],
  ['1'.repeat(65), /65 characters long/],
];

import {
  BROWSER_FAMILIES,
  familiesOf,
  OS_FAMILIES,
} from '../../../../core/ingest/schemas/user-agent-families';

describe('user agent families', () => {
  it.each([
    ['Microsoft-CryptoAPI/10.0', 'Microsoft CryptoAPI', 'Windows'],
    ['ocspd/1.0.3', 'Apple ocspd', 'Mac OS'],
    ['Go-http-client/1.1', 'Go http client', 'Other'],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
      'Mobile Safari',
      'iOS',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Thunderbird/128.5.0',
      'Thunderbird',
      'Windows',
    ],
    ['', 'Other', 'Other'],
  ])('names %s', (agent, browser, os) => {
    expect(familiesOf(agent)).toEqual({ browser, os });
  });

  it.each([
    'Mozilla/5.0 (Windows NT 10.0; Win64) alice@example.com',
    'alice@example.com/1.0 (alice@example.com)',
    'Mozilla/5.0 (compatible; MSIE alice@example.com; Windows NT 6.1)',
    'Mozilla/5.0 (X11; alice@example.com x86_64) AppleWebKit/537.36 (KHTML, like Gecko) alice@example.com/1.0',
    `${'A'.repeat(60)}/1.0`,
  ])('never turns agent text into a family: %s', (agent) => {
    const { browser, os } = familiesOf(agent);
    expect(BROWSER_FAMILIES).toContain(browser);
    expect(OS_FAMILIES).toContain(os);
    expect(`${browser} ${os}`).not.toMatch(/alice|AAAA/);
  });
});

import { UAParser } from 'ua-parser-js';

/**
 * The closed vocabulary of browser and OS families an OCSP record may carry.
 * A family is never free text from the request: a user agent the parser does
 * not recognise, or one that names something outside these lists, becomes
 * `Other`, so a crafted agent (`... alice@example.com`) cannot smuggle text
 * into a field kept as aggregate-safe.
 */

/** Family for anything not named below, including an empty or missing agent. */
export const OTHER_FAMILY = 'Other';

/**
 * OCSP clients that are not browsers, recognised by their leading product
 * token: most OCSP traffic comes from operating-system certificate services
 * and HTTP libraries, which ua-parser-js does not name.
 */
const clientTokens: readonly (readonly [RegExp, string, string | null])[] = [
  [/^Microsoft-CryptoAPI\//i, 'Microsoft CryptoAPI', 'Windows'],
  [/^ocspd\//i, 'Apple ocspd', 'Mac OS'],
  [/^com\.apple\.trustd\//i, 'Apple trustd', null],
  [/^Go-http-client\//i, 'Go http client', null],
  [/^curl\//i, 'curl', null],
  [/^Wget\//i, 'Wget', null],
  [/^Java\//i, 'Java', null],
  [/^OpenSSL\//i, 'OpenSSL', null],
  [/^(python-requests|Python-urllib|python-httpx|aiohttp)\//i, 'Python', null],
  [/^okhttp\//i, 'OkHttp', null],
  [/^Apache-HttpClient\//i, 'Apache HttpClient', null],
  [/\bThunderbird\//, 'Thunderbird', null],
];

/** Browser names as ua-parser-js spells them, kept only if listed here. */
const parserBrowsers = [
  'Chrome',
  'Chromium',
  'Chrome WebView',
  'Chrome Headless',
  'Mobile Chrome',
  'Firefox',
  'Mobile Firefox',
  'Safari',
  'Mobile Safari',
  'Edge',
  'Firefox Focus',
  'Opera',
  'Opera Mini',
  'Opera Touch',
  'Opera GX',
  'Samsung Internet',
  'Yandex',
  'DuckDuckGo',
  'Coc Coc',
  'WeChat',
  'UCBrowser',
  'Vivaldi',
  'Brave',
  'IE',
  'IEMobile',
  'Android Browser',
  'Silk',
  'WebKit',
] as const;

export const BROWSER_FAMILIES = [
  ...new Set([...parserBrowsers, ...clientTokens.map(([, browser]) => browser), OTHER_FAMILY]),
] as readonly string[] as readonly [string, ...string[]];

/** Operating systems as ua-parser-js spells them (the spelling already stored). */
export const OS_FAMILIES = [
  'Windows',
  'Windows Phone',
  'Mac OS',
  'iOS',
  'Android',
  'HarmonyOS',
  'Chromium OS',
  'Linux',
  'Ubuntu',
  'Debian',
  'Fedora',
  'Red Hat',
  'CentOS',
  'SUSE',
  'Arch',
  'Gentoo',
  'FreeBSD',
  'OpenBSD',
  'NetBSD',
  'Solaris',
  'KaiOS',
  'Tizen',
  OTHER_FAMILY,
] as const;

const browserSet: ReadonlySet<string> = new Set(BROWSER_FAMILIES);
const osSet: ReadonlySet<string> = new Set(OS_FAMILIES);

export type OsFamily = (typeof OS_FAMILIES)[number];

export interface UserAgentFamilies {
  readonly browser: string;
  readonly os: OsFamily;
}

function classify(userAgent: string): UserAgentFamilies {
  const token = clientTokens.find(([pattern]) => pattern.test(userAgent));
  const parsed = new UAParser(userAgent).getResult();
  const browser = token?.[1] ?? parsed.browser.name ?? OTHER_FAMILY;
  const os = token?.[2] ?? parsed.os.name ?? OTHER_FAMILY;
  return {
    browser: browserSet.has(browser) ? browser : OTHER_FAMILY,
    os: osSet.has(os) ? (os as OsFamily) : OTHER_FAMILY,
  };
}

/**
 * Responders see a few hundred distinct agents and parsing one costs ~0.1 ms,
 * so results are memoised in a bounded map, cleared when full.
 */
const cache = new Map<string, UserAgentFamilies>();
const CACHE_MAX = 10_000;

/** Browser and OS family of a raw user agent, each from the closed vocabulary. */
export function familiesOf(userAgent: string): UserAgentFamilies {
  let families = cache.get(userAgent);
  if (!families) {
    families = classify(userAgent);
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(userAgent, families);
  }
  return families;
}

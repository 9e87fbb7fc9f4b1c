const cache = new Map<string, RegExp>();

function compile(pattern: string, ignoreCase: boolean): RegExp {
  const key = `${ignoreCase ? 'i' : 's'}:${pattern}`;
  let regex = cache.get(key);
  if (!regex) {
    const body = pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    regex = new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
    cache.set(key, regex);
  }
  return regex;
}

/**
 * IAM wildcard matching: `*` any run of characters, `?` one character.
 * A value that itself holds `*` (a resource pattern) is only matched where the
 * pattern covers it, so `bucket/*` covers `bucket/prefix/*` but not the reverse.
 */
export function globMatch(pattern: string, value: string): boolean {
  return compile(pattern, false).test(value);
}

/** IAM action matching: service prefixes and action names are case-insensitive. */
export function actionMatch(pattern: string, action: string): boolean {
  return compile(pattern, true).test(action);
}

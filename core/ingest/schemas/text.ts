import { z } from 'zod';

/**
 * Text limits measured as Athena measures them: in code points (`length()`),
 * never splitting a surrogate pair, so no stored string holds half a
 * character. A lone surrogate from a JSON `\ud800` escape becomes U+FFFD.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export const hasLoneSurrogate = (text: string) => new RegExp(LONE_SURROGATE.source).test(text);

export const wellFormed = (text: string) => text.replace(LONE_SURROGATE, '\uFFFD');

/** Code points in `text` (what Athena's `length()` counts). */
export function codePoints(text: string): number {
  let pairs = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        pairs++;
        i++;
      }
    }
  }
  return text.length - pairs;
}

/** The first `max` code points of `text`. */
export function cutCodePoints(text: string, max: number): string {
  if (text.length <= max) return text;
  let units = 0;
  for (let points = 0; points < max && units < text.length; points++) {
    const c = text.charCodeAt(units);
    units += c >= 0xd800 && c <= 0xdbff && units + 1 < text.length ? 2 : 1;
  }
  return text.slice(0, units);
}

/** Well-formed text of at most `max` code points. */
export const boundedText = (max: number) =>
  z
    .string()
    .refine((s) => !hasLoneSurrogate(s), { message: 'holds a lone UTF-16 surrogate' })
    .refine((s) => s.length <= max || codePoints(s) <= max, {
      message: `longer than ${max} characters (code points)`,
    });

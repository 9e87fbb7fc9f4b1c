import type { CfnTemplate } from '../../core/template/types';

/** Glue keeps a view's definition base64-encoded, so the stage's database name hides inside it. */
const PRESTO_VIEW = /^\/\* Presto View: (.*) \*\/$/;

/** The spellings of a stage name that physical names, logical ids and database names use. */
function spellings(stage: string): string[] {
  return [stage, stage.replace(/-/g, '_'), stage.replace(/-/g, '')];
}

function renameIn(value: unknown, rename: (text: string) => string): unknown {
  if (typeof value === 'string') {
    const view = PRESTO_VIEW.exec(value);
    if (view === null) return rename(value);
    const definition = rename(Buffer.from(view[1], 'base64').toString('utf8'));
    return `/* Presto View: ${Buffer.from(definition, 'utf8').toString('base64')} */`;
  }
  if (Array.isArray(value)) return value.map((item) => renameIn(item, rename));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [rename(key), renameIn(item, rename)]),
    );
  return value;
}

/**
 * The templates of stage `from` as they would read for stage `to`: every
 * spelling of the name replaced, inside encoded view definitions too. CDK's
 * own path hashes (asset keys, generated statement ids) keep `from`'s values,
 * which no stand-in reads. Throws if `from` survives anywhere, so a new
 * encoding of the name cannot slip through as a half-renamed stage.
 */
export function renameStage(
  templates: Record<string, CfnTemplate>,
  from: string,
  to: string,
): Record<string, CfnTemplate> {
  if (from === to) return templates;
  const pairs = spellings(from).map((spelling, i) => [spelling, spellings(to)[i]] as const);
  const rename = (text: string) =>
    pairs.reduce((out, [old, now]) => out.split(old).join(now), text);
  const renamed = renameIn(templates, rename) as Record<string, CfnTemplate>;
  const leftovers = (text: string) => spellings(from).some((s) => text.includes(s));
  renameIn(renamed, (text) => {
    if (leftovers(text)) throw new Error(`stage name ${from} survived the rename in: ${text}`);
    return text;
  });
  return renamed;
}

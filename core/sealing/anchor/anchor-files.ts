import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { AnchorRecord, anchorKey } from './anchor-record';
import { AnchorCandidate } from './check-anchors';

/**
 * Anchors published as files: a clone of the public anchor repository, or
 * `.run/anchors/` locally. Layout `<dir>/anchors/YYYY/MM/dd/HH.json`, the
 * same keys as in the archive, one pretty-printed record per file.
 */
export async function writeAnchorFile(
  dir: string,
  headHour: Date,
  record: AnchorRecord,
): Promise<string> {
  const path = join(dir, anchorKey(headHour));
  await mkdir(dirname(path), { recursive: true });
  // A published anchor is never replaced: a second anchor of one head would hide the first.
  await writeFile(path, `${JSON.stringify(record, null, 2)}\n`, { flag: 'wx' });
  return path;
}

async function jsonFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/**
 * Every anchor file under `<dir>/anchors/`, as candidates for `checkAnchors`.
 * A file that is not JSON is still returned (as its text), so the check
 * reports it instead of it silently not counting.
 */
export async function readAnchorFiles(dir: string): Promise<AnchorCandidate[]> {
  const root = join(dir, 'anchors');
  if (!existsSync(root)) return [];
  const candidates: AnchorCandidate[] = [];
  for (const path of await jsonFiles(root)) {
    const text = await readFile(path, 'utf8');
    let record: unknown = text;
    try {
      record = JSON.parse(text);
    } catch {
      // left as text: checkAnchors reports it as anchor-invalid
    }
    candidates.push({ source: relative(dir, path), record });
  }
  return candidates;
}

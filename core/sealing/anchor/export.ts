import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { prefixes } from '../../naming';
import { objectPages } from '../../s3/pagers';
import { readObject } from '../../s3/objects';

export interface ExportRun {
  /** Files written, relative to the target directory (`anchors/YYYY/MM/dd/HH.json`). */
  readonly written: string[];
  /** Anchors the directory already held with the same bytes. */
  readonly unchanged: number;
  /**
   * Files the directory holds with other bytes than the bucket's anchor: never
   * overwritten. The copy published first is the one that proves something;
   * a different anchor of the same hour later is what it exists to show.
   */
  readonly conflicts: string[];
}

async function existing(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Copies every anchor under `prefix` of a bucket (the archive's `anchors/`,
 * or a stage's `<stage>/anchors/` in the witness bucket) into `dir` as
 * `anchors/YYYY/MM/dd/HH.json`, byte for byte: what `logvault anchors
 * export` does for the CI job that commits them to the public anchor
 * repository. Idempotent; a file that differs is reported, never replaced.
 */
export async function exportAnchors(
  source: { s3: S3Client; bucket: string; prefix: string },
  dir: string,
): Promise<ExportRun> {
  const run = { written: [] as string[], unchanged: 0, conflicts: [] as string[] };
  for await (const page of objectPages(source.s3, source.bucket, source.prefix))
    for (const o of page.Contents ?? []) {
      const relative = `${prefixes.anchors}${o.Key!.slice(source.prefix.length)}`;
      const object = await readObject(source.s3, source.bucket, o.Key!);
      if (object === undefined) continue;
      const path = join(dir, relative);
      const held = await existing(path);
      if (held === undefined) {
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, object.body, { flag: 'wx' });
        run.written.push(relative);
      } else if (held.equals(object.body)) run.unchanged++;
      else run.conflicts.push(relative);
    }
  return run;
}

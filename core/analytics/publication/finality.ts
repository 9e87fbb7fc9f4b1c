import { parseDay } from '../../time/days';
import { hourPath } from '../../time/hours';
import { FIREHOSE_MAX_BUFFER_MS } from '../../time/margins';
import { DAY_MS, HOUR_MS } from '../../time/units';

/**
 * When a day may be published. A published day is final and published
 * once, so it waits until nothing more of it can arrive: the records of day
 * D that reached Firehose before D+1 00:00 + the lateness window are
 * counted, later ones never are (they stay in the long-term aggregate only).
 * Firehose files a record under its arrival hour and delivers that hour's
 * last object up to its 15-minute buffer after the hour ends, so the day is
 * final a buffer after the window closes. Publishing earlier would give
 * a partial day whose later replacement could be diffed against it.
 */

export interface PublicationWindow {
  /** First and last arrival-hour partitions (`YYYY/MM/dd/HH`) holding records of the day. */
  readonly firstHour: string;
  readonly lastHour: string;
  /** Records of the day that arrived from this instant on are not counted. */
  readonly arrivedBefore: Date;
  /** The day is final, and may be published, from this instant on. */
  readonly finalAt: Date;
}

export function publicationWindow(day: string, latenessHours: number): PublicationWindow {
  const start = parseDay(day).getTime();
  const arrivedBefore = start + DAY_MS + latenessHours * HOUR_MS;
  return {
    // A responder clock slightly ahead files a record of D in D-1's last hour.
    firstHour: hourPath(new Date(start - HOUR_MS)),
    lastHour: hourPath(new Date(arrivedBefore - HOUR_MS)),
    arrivedBefore: new Date(arrivedBefore),
    finalAt: new Date(arrivedBefore + FIREHOSE_MAX_BUFFER_MS),
  };
}

/** Publishing a day before it is final. */
export class DayNotFinalError extends Error {
  constructor(
    readonly day: string,
    readonly finalAt: Date,
  ) {
    super(
      `${day} is not final until ${finalAt.toISOString()}: a published day is final and published ` +
        `once, so it waits for its late records; publish it after that time`,
    );
    this.name = 'DayNotFinalError';
  }
}

/** Throws {@link DayNotFinalError} unless `day` is final at `now`. */
export function assertFinal(day: string, now: Date, latenessHours: number): PublicationWindow {
  const window = publicationWindow(day, latenessHours);
  if (now.getTime() < window.finalAt.getTime()) throw new DayNotFinalError(day, window.finalAt);
  return window;
}

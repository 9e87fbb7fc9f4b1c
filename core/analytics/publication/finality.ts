import { DayWindow, dayWindow } from '../../time/finality';

/**
 * A published day is final and published once, so it waits until nothing
 * more of it can arrive (core/time/finality.ts): publishing earlier would
 * give a partial day whose later replacement could be diffed against it.
 */

export type PublicationWindow = DayWindow;

export function publicationWindow(day: string, latenessHours: number): PublicationWindow {
  return dayWindow(day, latenessHours);
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

/**
 * The emulator's clock. Everything that stamps a time (created_at, updated_at,
 * the journal) asks this instead of Date, so tests can freeze and move it.
 */
export interface Clock {
  /** Microseconds since the epoch. Strictly increasing between calls while the clock runs. */
  nowMicros(): number;
}

/** Wall-clock time with microsecond resolution, never going backwards or repeating. */
export function systemClock(): Clock {
  const origin = performance.timeOrigin * 1000;
  let last = 0;
  return {
    nowMicros() {
      const t = Math.floor(origin + performance.now() * 1000);
      last = t > last ? t : last + 1;
      return last;
    },
  };
}

/** `2025-04-04T21:37:36.712496+00:00`, SuprSend's timestamp format. */
export function formatTimestamp(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const iso = new Date(ms).toISOString(); // 2025-04-04T21:37:36.712Z
  const micro = String(micros % 1_000_000).padStart(6, '0');
  return `${iso.slice(0, 19)}.${micro}+00:00`;
}

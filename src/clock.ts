/**
 * The emulator's clock. Everything that stamps a time (created_at, updated_at,
 * the journal, generated ids) asks this instead of Date, so testers can
 * freeze, set and advance it through the control plane.
 */
export interface Clock {
  /** Microseconds since the epoch. While running it never repeats or goes back; while frozen it stands still. */
  nowMicros(): number;
}

export interface ClockState {
  mode: 'running' | 'frozen';
  /** The current time, formatted. */
  now: string;
  /** Difference to the machine's wall clock, in microseconds. */
  offset_us: number;
}

/**
 * Wall-clock time with microsecond resolution, which can be frozen at an
 * instant and set to another instant (running or frozen); advancing is a set.
 */
export class ControllableClock implements Clock {
  private offset = 0;
  private frozenAt: number | null = null;
  private last = 0;

  constructor(private readonly wallMicros: () => number = defaultWallMicros) {}

  nowMicros(): number {
    if (this.frozenAt !== null) return this.frozenAt;
    const t = this.wallMicros() + this.offset;
    this.last = t > this.last ? t : this.last + 1;
    return this.last;
  }

  /** Stops the clock at `atMicros` (default: now). */
  freeze(atMicros: number = this.nowMicros()): void {
    this.frozenAt = atMicros;
  }

  /** Lets a frozen clock run again from the frozen instant (not from the wall clock's now). */
  resume(): void {
    if (this.frozenAt === null) return;
    this.offset = this.frozenAt - this.wallMicros();
    this.last = this.frozenAt;
    this.frozenAt = null;
  }

  /** Back to the machine's wall clock: running, no offset. */
  real(): void {
    this.frozenAt = null;
    this.offset = 0;
    this.last = 0;
  }

  /** Jumps to `atMicros`; a frozen clock stays frozen there. Going back is allowed. */
  set(atMicros: number): void {
    if (this.frozenAt !== null) this.frozenAt = atMicros;
    else {
      this.offset = atMicros - this.wallMicros();
      this.last = atMicros - 1;
    }
  }

  state(): ClockState {
    const now = this.nowMicros();
    return {
      mode: this.frozenAt === null ? 'running' : 'frozen',
      now: formatTimestamp(now),
      offset_us: this.frozenAt === null ? this.offset : this.frozenAt - this.wallMicros(),
    };
  }
}

function defaultWallMicros(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000);
}

/**
 * The times the clock may be set to: 1970 to the start of 2255. Times are
 * epoch microseconds in a double, which holds every microsecond only up to
 * 2^53 µs (June 2255); later instants would silently lose microseconds.
 */
const CLOCK_RANGE = { min: 0, max: Date.UTC(2255, 0, 1) * 1000 } as const;

/** The clock's range, as messages word it. */
export const CLOCK_RANGE_TEXT = 'between 1970-01-01 and 2255-01-01';

export function inClockRange(micros: number): boolean {
  return Number.isFinite(micros) && micros >= CLOCK_RANGE.min && micros <= CLOCK_RANGE.max;
}

/** `2025-04-04T21:37:36.712496+00:00`, SuprSend's timestamp format. */
export function formatTimestamp(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const iso = new Date(ms).toISOString(); // 2025-04-04T21:37:36.712Z
  const micro = String(((micros % 1_000_000) + 1_000_000) % 1_000_000).padStart(6, '0');
  return `${iso.slice(0, 19)}.${micro}+00:00`;
}

/**
 * Parses an ISO-8601 time (four-digit year, up to microseconds) to epoch
 * microseconds, or null. Impossible dates and times (`2025-02-30`, `24:00:00`)
 * are null, not rolled over as Date.parse would.
 */
export function parseTimestamp(text: string): number | null {
  const m = /^((\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d))(?:\.(\d{1,6}))?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(2, 8).map(Number) as [number, number, number, number, number, number];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (daysInMonth === undefined || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return null;
  const ms = Date.parse(`${m[1]}${m[9]}`);
  if (Number.isNaN(ms)) return null;
  return ms * 1000 + Number((m[8] ?? '').padEnd(6, '0'));
}

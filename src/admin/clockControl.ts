import type { z } from 'zod';
import { badRequest } from '../api/errors.js';
import { CLOCK_RANGE_TEXT, type ClockState, type ControllableClock, inClockRange, parseTimestamp } from '../clock.js';
import type { clockActionSchema } from './schemas.js';

type ClockAction = z.output<typeof clockActionSchema>;

/** Freezes, resumes, sets, advances or returns to real time the clock as the control plane asks, within the clock's range. */
export class ClockControl {
  constructor(private readonly clock: ControllableClock) {}

  apply(action: ClockAction): ClockState {
    const clock = this.clock;
    if (action.action === 'freeze') clock.freeze(action.at === undefined ? undefined : instant(action.at));
    else if (action.action === 'resume') clock.resume();
    else if (action.action === 'real') clock.real();
    else if (action.action === 'set') clock.set(instant(action.at));
    else clock.set(inRange(clock.nowMicros() + action.ms * 1000, 'ms'));
    return clock.state();
  }
}

function instant(text: string): number {
  const micros = parseTimestamp(text);
  if (micros === null) throw badRequest('at: must be a valid ISO-8601 time such as 2025-01-01T00:00:00Z');
  return inRange(micros, 'at');
}

function inRange(micros: number, field: string): number {
  if (!inClockRange(micros)) throw badRequest(`${field}: the clock must stay ${CLOCK_RANGE_TEXT}`);
  return micros;
}

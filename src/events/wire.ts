import type { RecordOutcome } from './service.js';

/** One record's entry in a `/v2/bulk/event/` answer. */
export type RecordResult =
  | { status: 'success'; message_id: string; status_code: 202 }
  | { status: 'error'; status_code: number; error: { message: string; type: string } };

/** What became of a record, as the 207 of `/v2/bulk/event/` lists it. */
export function toRecordResult(outcome: RecordOutcome): RecordResult {
  return outcome.ok
    ? { status: 'success', message_id: outcome.messageId, status_code: 202 }
    : { status: 'error', status_code: 400, error: { message: outcome.reason, type: 'validation_error' } };
}

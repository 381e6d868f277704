import { randomBytes, randomUUID } from 'node:crypto';
import { encodeTime } from 'ulid';
import type { Clock } from './clock.js';

/**
 * Every id and credential the emulator makes up comes from here. Seeded, the
 * same sequence of calls gives the same ids on every run.
 */
export interface IdGenerator {
  /** 26-character ULID (time from the emulator clock). */
  ulid(): string;
  uuid(): string;
  /** Random URL-safe token of `length` characters. */
  token(length: number): string;
  /** A float in [0, 1), for fault probabilities. */
  random(): number;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Ids from the operating system's random source. */
export function randomIds(clock: Clock): IdGenerator {
  return fromBytes(clock, (n) => randomBytes(n), randomUUID);
}

/** Ids from a PRNG seeded with `seed`: repeatable from run to run. */
export function seededIds(clock: Clock, seed: string): IdGenerator {
  let state = hashSeed(seed);
  const next = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256)));
  const uuid = () => {
    const b = bytes(16);
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const h = b.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
  return { ...fromBytes(clock, bytes, uuid), random: next };
}

function fromBytes(clock: Clock, bytes: (n: number) => Buffer, uuid: () => string): IdGenerator {
  const pick = (alphabet: string, length: number) => Array.from(bytes(length), (b) => alphabet[b % alphabet.length]).join('');
  return {
    ulid: () => encodeTime(Math.floor(clock.nowMicros() / 1000), 10) + pick(CROCKFORD, 16),
    uuid,
    token: (length) => pick(URL_SAFE, length),
    random: () => bytes(4).readUInt32BE(0) / 4294967296,
  };
}

function hashSeed(seed: string): number {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Generation of monotonic TUIDs for row ids and chunk ids. */
import type { Tuid } from "./codec/tuid";

export type { Tuid } from "./codec/tuid";

function wallClockNs(): bigint {
  // performance.now() adds sub-millisecond resolution; a double keeps ~µs precision at epoch scale.
  return BigInt(Math.floor((performance.timeOrigin + performance.now()) * 1e6));
}

function randomU62(): bigint {
  const words = new Uint32Array(2);
  crypto.getRandomValues(words);
  // Two bits of headroom so `inc + count` never carries into the time half in practice.
  return (BigInt(words[0] & 0x3fffffff) << 32n) | BigInt(words[1]);
}

/**
 * Hands out strictly increasing TUIDs, also when the clock stalls or steps back: then the time
 * half is held and the counter advances. `reserve(n)` returns the first of n consecutive ids.
 * One generator is shared by a whole process so ids never repeat across recordings.
 */
export class TuidGenerator {
  private timeNs = 0n;
  private nextInc = 0n;

  constructor(private readonly clock: () => bigint = wallClockNs, private readonly random: () => bigint = randomU62) {}

  reserve(count = 1): Tuid {
    const now = this.clock();
    if (now > this.timeNs) {
      this.timeNs = now;
      this.nextInc = this.random();
    }
    const first = { timeNs: this.timeNs, inc: this.nextInc };
    this.nextInc += BigInt(count);
    return first;
  }

  next(): Tuid {
    return this.reserve(1);
  }
}

/** The process-wide generator. */
export const tuids = new TuidGenerator();

/** Random RFC 4122 v4 UUID string, for recording ids and blueprint ids. */
export function uuidv4(): string {
  return crypto.randomUUID();
}

// Which entity keys were present in the previous frame, so a key that vanishes gets cleared on
// the frame it vanishes (no ghost points left standing in the viewer).

export class Presence {
  private present = new Set<string>();
  readonly everSeen = new Set<string>();

  /** Records the keys of one frame; returns the keys that were present before and are gone now. */
  update(keys: Iterable<string>): string[] {
    const now = new Set(keys);
    const gone = [...this.present].filter((k) => !now.has(k));
    for (const k of now) this.everSeen.add(k);
    this.present = now;
    return gone;
  }
}

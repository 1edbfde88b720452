/**
 * A Rerun recording written from JS: log rows or columns, then `flush()` to get one complete RRD
 * stream (and hand it to every sink). Each flush starts with the store info, so any single flush
 * is enough for a viewer to open the recording. `end()` closes the recording as a file: the first
 * flush followed by the later ones without their stream headers, then the footer `end()` returns
 * (an RrdFooter with one manifest per store, as Rerun's SDK ends a saved file). Flushes carry no
 * footer: its offsets only hold in that file, and the viewer's `send_rrd` needs none.
 */
import { ChunkBatcher, type ComponentColumn, type PendingChunk } from "./batcher";
import { buildChunk } from "./chunk";
import { encodeFileEnd } from "./codec/footer";
import { encodeStream, FORMAT_VERSION, MESSAGE_HEADER_SIZE, MessageKind, STREAM_HEADER_SIZE, type RrdMessage } from "./codec/framing";
import { recordBatchToIpc } from "./codec/ipc";
import { encodeArrowMsg, encodeBlueprintActivation, encodeSetStoreInfo, StoreKind, type StoreId } from "./codec/messages";
import type { Archetype } from "./components";
import { ManifestBuilder } from "./manifest";
import { packTuids } from "./codec/tuid";
import type { RecordBatch } from "apache-arrow";
import type { RrdSink } from "./sinks";
import { timeKind, timeToI64, type TimeColumn, type Timeline, type TimeValue } from "./time";
import { tuids, uuidv4 } from "./tuid";

export interface RecordingOptions {
  /** Groups recordings in the viewer; blueprints are per application. */
  applicationId: string;
  /** Defaults to a random UUID. */
  recordingId?: string;
  /** Shown by the viewer as the data source. */
  source?: string;
}

/** Anything that can be logged to the blueprint store; see `blueprint.ts`. */
export interface BlueprintLike {
  /** Entities and archetypes of the blueprint, logged at `blueprint` = 0. */
  blueprintRows(): ReadonlyArray<readonly [string, Archetype]>;
}

export interface LogOptions {
  /** Static data has no time and is valid on every timeline. */
  static?: boolean;
}

/** A message to write, with what the footer's manifest needs to know if it carries a chunk. */
interface Outgoing extends RrdMessage {
  chunk?: { storeId: StoreId; batch: RecordBatch; chunkId: Uint8Array; ipcSize: number };
}

/** Turns collected chunks into ArrowMsg messages for one store. */
function chunkMessages(storeId: StoreId, chunks: readonly PendingChunk[]): Outgoing[] {
  return chunks.map((c) => {
    const batch = buildChunk(c);
    const payload = recordBatchToIpc(batch);
    return {
      kind: MessageKind.ArrowMsg,
      body: encodeArrowMsg({ storeId, chunkId: c.chunkId, payload, isStatic: c.isStatic }),
      chunk: { storeId, batch, chunkId: packTuids([c.chunkId]), ipcSize: payload.length },
    };
  });
}

function storeInfoMessage(storeId: StoreId, source: string): RrdMessage {
  return {
    kind: MessageKind.SetStoreInfo,
    body: encodeSetStoreInfo({ rowId: tuids.next(), storeId, source, version: FORMAT_VERSION }),
  };
}

export class Recording {
  readonly applicationId: string;
  readonly recordingId: string;
  readonly source: string;
  private readonly batcher = new ChunkBatcher();
  private readonly times = new Map<string, readonly [Timeline, bigint]>();
  private readonly kinds = new Map<string, Timeline["kind"]>();
  private readonly sinks: RrdSink[] = [];
  private blueprintMessages: Outgoing[] = [];
  private hasData = false;
  /** Size of the file the flushes so far make (one stream header, then every message). */
  private fileSize = STREAM_HEADER_SIZE;
  /** One manifest per store, in the order stores first wrote a chunk. */
  private readonly manifests = new Map<string, ManifestBuilder>();
  private ended = false;

  constructor(options: RecordingOptions) {
    this.applicationId = options.applicationId;
    this.recordingId = options.recordingId ?? uuidv4();
    this.source = options.source ?? "facescope rerun writer";
  }

  get storeId(): StoreId {
    return { kind: StoreKind.Recording, applicationId: this.applicationId, recordingId: this.recordingId };
  }

  /** Sets the time for following `log` calls on one timeline (e.g. `{ sequence: 3 }`, `{ duration: 0.12 }`). */
  setTime(timeline: string, value: TimeValue): void {
    const t = this.timeline(timeline, timeKind(value));
    this.times.set(timeline, [t, timeToI64(value)]);
  }

  /** Forgets the time on one timeline, or on all of them. */
  resetTime(timeline?: string): void {
    if (timeline === undefined) this.times.clear();
    else this.times.delete(timeline);
  }

  /** Logs one row on `entity` at the current times (or statically). */
  log(entity: string, archetypes: Archetype | readonly Archetype[], options: LogOptions = {}): void {
    if (this.ended) throw new Error(`log(${entity}): the recording has ended`);
    const list = Array.isArray(archetypes) ? (archetypes as readonly Archetype[]) : [archetypes as Archetype];
    const isStatic = options.static ?? false;
    if (!isStatic && this.times.size === 0) {
      throw new Error(`log(${entity}): no time set; call setTime() first or pass { static: true }`);
    }
    this.batcher.addRow(entity, isStatic, isStatic ? [] : [...this.times.values()], list.flatMap((a) => a.batches));
    this.hasData = true;
  }

  /**
   * Logs many rows at once as one chunk, like Rerun's `send_columns`. Every time column and
   * component column must have one entry per row; no time columns means static rows.
   */
  sendColumns(entity: string, times: readonly TimeColumn[], columns: readonly ComponentColumn[]): void {
    for (const t of times) this.timeline(t.timeline.name, t.timeline.kind);
    this.batcher.addColumns(entity, times, columns);
    this.hasData = true;
  }

  /** Queues a blueprint for the next flush; by default it becomes the active and default layout. */
  sendBlueprint(blueprint: BlueprintLike, options: { makeActive?: boolean; makeDefault?: boolean } = {}): void {
    const blueprintId: StoreId = { kind: StoreKind.Blueprint, applicationId: this.applicationId, recordingId: uuidv4() };
    const batcher = new ChunkBatcher();
    const at: readonly [Timeline, bigint] = [{ name: "blueprint", kind: "sequence" }, 0n];
    for (const [entity, arch] of blueprint.blueprintRows()) batcher.addRow(entity, false, [at], arch.batches);
    this.blueprintMessages = [
      storeInfoMessage(blueprintId, this.source),
      ...chunkMessages(blueprintId, batcher.drain()),
      {
        kind: MessageKind.BlueprintActivationCommand,
        body: encodeBlueprintActivation({
          blueprintId, makeActive: options.makeActive ?? true, makeDefault: options.makeDefault ?? true,
        }),
      },
    ];
    this.hasData = true;
  }

  addSink(sink: RrdSink): void {
    this.sinks.push(sink);
  }

  /**
   * Encodes everything logged since the last flush as one self-contained RRD stream, passes it to
   * every sink and returns it. Returns null when there is nothing new.
   */
  flush(): Uint8Array | null {
    if (this.ended) throw new Error("flush(): the recording has ended");
    if (!this.hasData) return null;
    // Blueprint messages travel in the same stream as our store info, so the activation command
    // can never overtake the blueprint's SetStoreInfo (separate send_rrd calls may interleave).
    const messages: Outgoing[] = [
      storeInfoMessage(this.storeId, this.source),
      ...this.blueprintMessages,
      ...chunkMessages(this.storeId, this.batcher.drain()),
    ];
    this.blueprintMessages = [];
    this.hasData = false;
    this.index(messages);
    const stream = encodeStream(messages);
    for (const sink of this.sinks) sink.write(stream);
    return stream;
  }

  /**
   * Ends the recording: flushes what is pending (to every sink, as `flush` does), then returns
   * the bytes that close its file (End message, RrdFooter with a manifest per store that wrote
   * chunks, stream footer) and hands them to every sink's `end`. Nothing can follow.
   */
  end(): Uint8Array {
    if (this.ended) throw new Error("end(): the recording has already ended");
    // A footer needs a stream before it: a recording never flushed gets one with its store info.
    if (this.hasData || this.fileSize === STREAM_HEADER_SIZE) {
      this.hasData = true;
      this.flush();
    }
    this.ended = true;
    const tail = encodeFileEnd(this.fileSize, [...this.manifests.values()].map((m) => m.encode()));
    for (const sink of this.sinks) sink.end?.(tail);
    return tail;
  }

  /** Records where each chunk's ArrowMsg body lands in the file, for the footer's manifests. */
  private index(messages: readonly Outgoing[]): void {
    for (const m of messages) {
      const bodyAt = this.fileSize + MESSAGE_HEADER_SIZE;
      this.fileSize = bodyAt + m.body.length;
      if (!m.chunk) continue;
      const { storeId, batch, chunkId, ipcSize } = m.chunk;
      const key = `${storeId.kind}/${storeId.applicationId}/${storeId.recordingId}`;
      let builder = this.manifests.get(key);
      if (!builder) {
        builder = new ManifestBuilder(storeId);
        this.manifests.set(key, builder);
      }
      builder.add(batch, chunkId, { offset: bodyAt, size: m.body.length, uncompressedSize: ipcSize });
    }
  }

  private timeline(name: string, kind: Timeline["kind"]): Timeline {
    const known = this.kinds.get(name);
    if (known && known !== kind) throw new Error(`timeline ${name} is a ${known} timeline, not ${kind}`);
    this.kinds.set(name, kind);
    return { name, kind };
  }
}

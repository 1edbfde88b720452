// MP4/MOV demuxing with mp4box: the first video track's samples, codec string and config record,
// rotation from the track header, and presentation times with the edit list applied (H.264 files
// with B-frames typically start their composition times two frames late and undo it in `elst`).
import { createFile, DataStream, Endianness, MP4BoxBuffer, type Sample, type Track } from "mp4box";
import type { DemuxedVideo, EncodedSample, Truncation } from "./demuxed";
import { noVideoTrack, VideoError } from "./errors";
import { displaySize, rotationFromMatrix } from "./geometry";

interface ConfigBoxes {
  avcC?: ConfigBox; hvcC?: ConfigBox; vpcC?: ConfigBox; av1C?: ConfigBox;
  pasp?: { hSpacing: number; vSpacing: number };
}
interface ConfigBox {
  write(stream: DataStream): void;
}

function sampleEntries(file: ReturnType<typeof createFile>, trackId: number): ConfigBoxes[] {
  return file.getTrackById(trackId).mdia.minf.stbl.stsd.entries as unknown as ConfigBoxes[];
}

function configRecord(file: ReturnType<typeof createFile>, trackId: number): Uint8Array | undefined {
  for (const entry of sampleEntries(file, trackId)) {
    const box = entry.avcC ?? entry.hvcC ?? entry.vpcC ?? entry.av1C;
    if (box) {
      const stream = new DataStream(undefined, 0, Endianness.BIG_ENDIAN);
      box.write(stream);
      return new Uint8Array(stream.buffer, 8); // drop the box header: WebCodecs wants the payload
    }
  }
  return undefined;
}

/** Start of presentation in track timescale units, from the edit list (0 when there is none). */
function editOffset(track: Track): number {
  let delay = 0; // empty edits (media_time −1) delay the start, in movie timescale
  for (const e of track.edits ?? []) {
    if (e.media_time === -1) delay += (e.segment_duration / track.movie_timescale) * track.timescale;
    else return e.media_time - delay;
  }
  return -delay;
}

export function demuxMp4(bytes: Uint8Array): DemuxedVideo {
  const file = createFile();
  let parseError: string | undefined;
  file.onError = (module, message) => { parseError = `${module}: ${message}`; };
  let track: Track | undefined;
  let hasMoov = false;
  file.onReady = (info) => {
    hasMoov = true;
    track = info.videoTracks[0];
    // Extraction must be armed inside onReady: mp4box hands out samples during the same append.
    if (track) {
      file.setExtractionOptions(track.id, undefined, { nbSamples: Number.MAX_SAFE_INTEGER });
      file.start();
    }
  };
  const samples: Sample[] = [];
  file.onSamples = (_id, _user, s) => { samples.push(...s); };

  const buffer = MP4BoxBuffer.fromArrayBuffer(bytes.slice().buffer, 0);
  try {
    file.appendBuffer(buffer);
    file.flush();
  } catch (e) {
    parseError = String(e);
  }
  if (!hasMoov) {
    throw new VideoError("truncated", "The MP4/MOV file has no movie header (moov box): it is truncated or was " +
      `never finished writing${parseError ? ` (${parseError})` : ""}.`);
  }
  if (!track) throw noVideoTrack(file.getInfo().audioTracks?.map((a) => a.codec) ?? []);
  const t = track;
  const offset = editOffset(t);
  const toUs = (ticks: number) => Math.round((ticks * 1e6) / t.timescale);
  // A file cut short (a copy that stopped, a recorder that crashed) keeps its complete samples.
  // mp4box hands out none when the data stops early, so they come from the sample table; decode
  // order is a prefix, so every one of them is decodable.
  let kept: Sample[] = samples;
  let truncation: Truncation | undefined;
  if (samples.length < t.nb_samples || samples.some((s) => !s.data || s.data.length < s.size)) {
    const table = file.getTrackSamplesInfo(t.id);
    const firstCut = table.findIndex((s) => s.offset + s.size > bytes.length);
    kept = (firstCut === -1 ? table : table.slice(0, firstCut))
      .map((s) => ({ ...s, data: bytes.slice(s.offset, s.offset + s.size) }));
    if (kept.length === 0) {
      throw new VideoError("truncated", `The video is truncated: none of its ${t.nb_samples} frames is complete in the ` +
        `file (${bytes.length} bytes). Re-export or re-download it.`);
    }
    const missing = table.slice(kept.length).map((s) => s.cts);
    const end = missing.length ? Math.min(...missing) : Math.max(...kept.map((s) => s.cts + s.duration));
    truncation = { totalFrames: t.nb_samples, endUs: toUs(end - offset), fileBytes: bytes.length };
  }
  const out: EncodedSample[] = kept.map((s) => ({
    data: s.data as Uint8Array,
    timestampUs: toUs(s.cts - offset),
    durationUs: toUs(s.duration),
    key: s.is_sync,
  }));
  const codedWidth = t.video?.width ?? t.track_width;
  const codedHeight = t.video?.height ?? t.track_height;
  const pasp = sampleEntries(file, t.id)[0]?.pasp;
  const display = displaySize(codedWidth, codedHeight, pasp?.hSpacing, pasp?.vSpacing);
  return {
    container: "mp4",
    codec: t.codec,
    codedWidth,
    codedHeight,
    displayWidth: display.width,
    displayHeight: display.height,
    description: configRecord(file, t.id),
    rotation: rotationFromMatrix(t.matrix),
    samples: out,
    durationUs: Math.max(0, ...out.map((s) => s.timestampUs + s.durationUs)),
    truncation,
  };
}

import { Recording } from "../rerun";
import { inspectRrd } from "../rerun/inspect";
import { chunksFor, column } from "../rerun/test-support";
import { BLENDSHAPE_NAMES } from "../results/blendshapes";
import { NUM_LANDMARKS } from "../results/types";
import { landmarkClassIds, LANDMARK_CLASSES } from "./landmarkClasses";
import { FaceScene, STILL_TIME } from "./scene";
import { syntheticFrame } from "./testFrames";
import { KEY_BLENDSHAPES, SHOWN_BLENDSHAPES } from "./entities";
import { FRAME_BOX, fitCamera } from "./startCamera";

/** The "Blendshapes" and "All blendshapes" queries and the 3D eye of the one blueprint in a flush, if any. */
function layoutOf(bytes: Uint8Array) {
  const bp = inspectRrd(bytes).chunks.filter((c) => c.message.storeId.kind === 2);
  if (!bp.length) return undefined;
  const named = (name: string) => bp.find((c) => c.table.getChild("ViewBlueprint:display_name")
    && (column(c.table, "ViewBlueprint:display_name")[0] as string[])[0] === name)!.entityPath;
  const query = (view: string) => column(bp.find((c) => c.entityPath === `${view}/ViewContents`)!.table, "ViewContents:query")[0] as string[];
  const eye = bp.find((c) => c.entityPath === `${named("3D face")}/EyeControls3D`);
  const vec = (f: string) => (column(eye!.table, f)[0] as number[][])[0];
  return {
    blendshapes: query(named("Blendshapes")),
    all: query(named("All blendshapes")),
    camera: eye && { position: vec("EyeControls3D:position"), lookTarget: vec("EyeControls3D:look_target") },
  };
}

/** Each series name logged (static) in a flush: entity path → names. */
function seriesNames(bytes: Uint8Array | null): Record<string, unknown> {
  const named = inspectRrd(bytes ?? new Uint8Array()).chunks.filter((c) => c.table.getChild("SeriesLines:names"));
  expect(named.every((c) => c.message.isStatic)).toBe(true);
  return Object.fromEntries(named.map((c) => [c.entityPath.replace(/^\//, ""), column(c.table, "SeriesLines:names")[0]]));
}

function sceneOf(frames: number[][], video = { width: 1280, height: 720 }) {
  const rec = new Recording({ applicationId: "facescope-test" });
  const scene = new FaceScene(rec, video);
  scene.begin();
  frames.forEach((ids, index) => scene.add(syntheticFrame(index, ids)));
  scene.finish();
  return inspectRrd(rec.flush()!);
}

// The writer stores entity paths in Rerun's canonical form, with a leading slash.
const path = (c: { entityPath: string }) => c.entityPath.replace(/^\//, "");
const entities = (rrd: ReturnType<typeof inspectRrd>) =>
  new Set(rrd.chunks.filter((c) => c.message.storeId.kind === 1).map(path));

describe("FaceScene", () => {
  it("lays out the seed's entities for each face", () => {
    const rrd = sceneOf([[0], [0]]);
    const paths = entities(rrd);
    for (const p of ["video/detector", "video/landmarker", "reconstruction", "video/detector/faces/0/bbox",
      "video/detector/faces/0/keypoints", "video/landmarker/faces/0/landmarks", "reconstruction/faces/0",
      "head_pose/0/yaw", "head_pose/0/pitch", "head_pose/0/roll"]) {
      expect(paths).toContain(p);
    }
    for (const name of BLENDSHAPE_NAMES) expect(paths).toContain(`blendshapes/0/${name}`);
    expect(BLENDSHAPE_NAMES).toHaveLength(52);
  });

  it("logs a batch of frames as one chunk per entity on both timelines", () => {
    const bytes = (() => {
      const rec = new Recording({ applicationId: "t" });
      const scene = new FaceScene(rec, { width: 1280, height: 720 });
      scene.begin();
      for (let i = 0; i < 5; i++) scene.add(syntheticFrame(i, [0]));
      scene.commit();
      return rec.flush()!;
    })();
    const [chunk] = chunksFor(bytes, "/blendshapes/0/jawOpen");
    expect(chunksFor(bytes, "/blendshapes/0/jawOpen")).toHaveLength(1);
    expect(column(chunk.table, "frame_idx")).toEqual([0, 1, 2, 3, 4].map(BigInt));
    expect(column(chunk.table, "time")).toEqual([0, 1, 2, 3, 4].map((i) => BigInt(i * 40_000_000)));
    const c = BLENDSHAPE_NAMES.indexOf("jawOpen");
    const got = column(chunk.table, "Scalars:scalars") as number[][];
    expect(got.map((r) => r[0])).toEqual([0, 1, 2, 3, 4].map((i) => Math.fround(((i + c) % 10) / 10)));
  });

  it("draws landmarks in the shown picture's pixels and keeps 3D points normalised", () => {
    const rrd = sceneOf([[1]]);
    const frame = syntheticFrame(0, [1]);
    const lm = rrd.chunks.find((c) => path(c) === "video/landmarker/faces/1/landmarks" && c.table.getChild("Points2D:positions"))!;
    const positions = column(lm.table, "Points2D:positions")[0] as number[][];
    expect(positions).toHaveLength(NUM_LANDMARKS);
    expect(positions[7][0]).toBeCloseTo(frame.faces.landmarksNorm[7 * 3] * 1280, 3);
    expect(positions[7][1]).toBeCloseTo(frame.faces.landmarksNorm[7 * 3 + 1] * 720, 3);
    const p3 = rrd.chunks.find((c) => path(c) === "reconstruction/faces/1" && c.table.getChild("Points3D:positions"))!;
    expect((column(p3.table, "Points3D:positions")[0] as number[][])[7]).toEqual(Array.from(frame.faces.landmarksNorm.subarray(21, 24)));
  });

  it("gives every landmark the class whose connections use it, nose included", () => {
    const ids = landmarkClassIds();
    const nose = LANDMARK_CLASSES.find((c) => c.label === "nose")!;
    expect(LANDMARK_CLASSES).toHaveLength(9);
    expect(ids[1]).toBe(nose.id); // nose tip
    const iris = LANDMARK_CLASSES.find((c) => c.label === "left iris")!;
    expect(ids[474]).toBe(iris.id);
    const rrd = sceneOf([[0]]);
    const stat = rrd.chunks.find((c) => path(c) === "video/landmarker/faces/0/landmarks" && c.table.getChild("Points2D:class_ids"))!;
    expect(stat.message.isStatic).toBe(true);
    expect(column(stat.table, "Points2D:class_ids")[0]).toEqual(Array.from(ids));
  });

  it("clears a face's entities on the frame it leaves, and only then", () => {
    const rrd = sceneOf([[0, 1], [0, 1], [0], [0]]);
    const clears = rrd.chunks.filter((c) => c.table.getChild("Clear:is_recursive"));
    const cleared = clears.map((c) => [path(c), column(c.table, "frame_idx")[0]]);
    expect(cleared).toEqual(expect.arrayContaining([
      ["video/landmarker/faces/1", 2n], ["reconstruction/faces/1", 2n], ["blendshapes/1", 2n], ["head_pose/1", 2n],
      ["video/detector/faces/1", 2n],
    ]));
    expect(cleared.filter(([p]) => String(p).endsWith("/0"))).toEqual([]);
  });

  it("logs a thinned scene's stride frames only", () => {
    const rec = new Recording({ applicationId: "t" });
    const video = { width: 1280, height: 720, asset: { kind: "video" as const, bytes: new Uint8Array(8), mediaType: "video/mp4",
      frameTimestampsNs: BigInt64Array.from({ length: 7 }, (_, i) => BigInt(i * 40_000_000)) } };
    const scene = new FaceScene(rec, video, { framesEvery: 3 });
    scene.begin();
    for (let i = 0; i < 7; i++) scene.add(syntheticFrame(i, [0]));
    scene.finish();
    const bytes = rec.flush()!;
    const rows = (entity: string, component: string) => chunksFor(bytes, entity)
      .filter((c) => c.table.getChild(component)).flatMap((c) => column(c.table, "frame_idx") as bigint[]).map(Number);
    expect(rows("/reconstruction/faces/0", "Points3D:positions")).toEqual([0, 3, 6]);
    expect(rows("/video/landmarker/faces/0/landmarks", "Points2D:positions")).toEqual([0, 3, 6]);
    expect(rows("/blendshapes/0/jawOpen", "Scalars:scalars")).toEqual([0, 3, 6]);
    expect(rows("/video/detector/faces/0/bbox", "Boxes2D:half_sizes")).toEqual([0, 3, 6]);
    expect(rows("/video", "VideoFrameReference:timestamp")).toEqual([0, 3, 6]);
    const p3 = chunksFor(bytes, "/reconstruction/faces/0").find((c) => c.table.getChild("Points3D:positions"))!;
    const second = (column(p3.table, "Points3D:positions") as number[][][])[1];
    const lm = syntheticFrame(3, [0]).faces.landmarksNorm;
    expect(second[5]).toEqual([lm[15], lm[16], lm[17]].map(Math.fround)); // frame 3's own points
  });

  it("shows every face's key series in the final blueprint when nothing moves, six lines in all", () => {
    const rrd = sceneOf([[0, 3]]);
    const blueprintText = JSON.stringify(rrd.chunks.filter((c) => c.message.storeId.kind === 2)
      .map((c) => c.table.toArray().map((r) => JSON.stringify(r, (_k, v) => (typeof v === "bigint" ? String(v) : v)))));
    for (const face of ["0", "3"]) for (const name of KEY_BLENDSHAPES.slice(0, 3)) expect(blueprintText).toContain(`+ blendshapes/${face}/${name}`);
    expect(blueprintText).not.toContain(`blendshapes/3/${KEY_BLENDSHAPES[3]}`); // three each: six lines
    expect(rrd.activations.length).toBeGreaterThanOrEqual(1);
  });

  it("with two faces opens on six curves in all, each named with its face in the legend", () => {
    const rec = new Recording({ applicationId: "t" });
    const scene = new FaceScene(rec, { width: 640, height: 360 });
    const waves: Record<number, Record<string, number>> = {
      0: { jawOpen: 0.9, eyeBlinkLeft: 0.8, eyeBlinkRight: 0.75, mouthPucker: 0.3 },
      1: { jawOpen: 0.85, browInnerUp: 0.6, mouthClose: 0.5, cheekPuff: 0.2 },
    };
    const frame = (index: number) => {
      const f = syntheticFrame(index, [0, 1]);
      f.faces.blendshapes.fill(0.05);
      for (const [i, id] of f.faces.ids.entries()) {
        for (const [name, a] of Object.entries(waves[id])) {
          f.faces.blendshapes[i * BLENDSHAPE_NAMES.length + BLENDSHAPE_NAMES.indexOf(name as never)] = a * (index % 2);
        }
      }
      return f;
    };
    scene.begin();
    rec.flush();
    for (let i = 0; i < 30; i++) scene.add(frame(i)); // 60 face-frames: the choice is made
    scene.commit();
    const bytes = rec.flush()!;
    const shown = layoutOf(bytes)!.blendshapes;
    expect(shown.length).toBeLessThanOrEqual(SHOWN_BLENDSHAPES);
    expect(shown).toEqual(["0/jawOpen", "1/jawOpen", "0/eyeBlinkLeft", "0/eyeBlinkRight", "1/browInnerUp", "1/mouthClose"]
      .map((s) => `+ blendshapes/${s}`));
    // Only the shown series are named, as the video's boxes name their face.
    const names = seriesNames(bytes);
    expect(Object.keys(names).sort()).toEqual(shown.map((q) => q.slice(2)).sort());
    expect(names["blendshapes/1/browInnerUp"]).toEqual(["face 1: browInnerUp"]);
    expect(names["blendshapes/0/jawOpen"]).toEqual(["face 0: jawOpen"]);
    scene.finish();
    expect(seriesNames(rec.flush())).toEqual({}); // named once
  });

  it("names the shown series once a second face comes, even when the layout stays as it was", () => {
    const rec = new Recording({ applicationId: "t" });
    const scene = new FaceScene(rec, { width: 640, height: 360 });
    const frame = (index: number, ids: number[]) => {
      const f = syntheticFrame(index, ids);
      f.faces.blendshapes.fill(0.05);
      f.faces.blendshapes[BLENDSHAPE_NAMES.indexOf("jawOpen")] = 0.8 * (index % 2); // face 0 moves, face 1 is still
      f.faces.landmarksNorm.copyWithin(NUM_LANDMARKS * 3, 0, NUM_LANDMARKS * 3); // at face 0's place: same camera
      return f;
    };
    scene.begin();
    for (let i = 0; i < 60; i++) scene.add(frame(i, [0]));
    scene.commit();
    const one = rec.flush()!;
    expect(layoutOf(one)?.blendshapes).toEqual(["+ blendshapes/0/jawOpen"]);
    expect(seriesNames(one)).toEqual({}); // one face: the legend's "jawOpen" says enough
    scene.add(frame(60, [0, 1]));
    scene.finish();
    const later = rec.flush()!;
    expect(layoutOf(later)).toBeUndefined();
    expect(seriesNames(later)).toEqual({ "blendshapes/0/jawOpen": ["face 0: jawOpen"] });
  });
  it("opens on the categories that move once 50 frames of a face exist, with a camera on the face; re-sends only on change", () => {
    const rec = new Recording({ applicationId: "t" });
    const scene = new FaceScene(rec, { width: 640, height: 360 });
    const moving = { mouthPucker: 0.9, jawOpen: 0.5, eyeBlinkLeft: 0.4, eyeBlinkRight: 0.35, mouthClose: 0.3, browInnerUp: 0.2, cheekPuff: 0.1 };
    const frame = (index: number, wave: Record<string, number>) => {
      const f = syntheticFrame(index, [0]);
      f.faces.blendshapes.fill(0.05);
      for (const [name, a] of Object.entries(wave)) f.faces.blendshapes[BLENDSHAPE_NAMES.indexOf(name as never)] = a * (index % 2);
      return f;
    };
    scene.begin();
    const sent: Array<ReturnType<typeof layoutOf>> = [layoutOf(rec.flush()!)];
    for (let batch = 0; batch < 4; batch++) {
      for (let i = 0; i < 20; i++) scene.add(frame(batch * 20 + i, moving));
      scene.commit();
      sent.push(layoutOf(rec.flush()!));
    }
    scene.finish();
    const atEnd = rec.flush();
    // At the start the seed's key series and a camera on the whole picture; after 60 frames (≥ 50) the choice.
    const wholePicture = fitCamera(FRAME_BOX);
    expect(sent[0]).toMatchObject({ blendshapes: KEY_BLENDSHAPES.map((n) => `+ blendshapes/0/${n}`),
      camera: { position: wholePicture.position.map(Math.fround), lookTarget: [0.5, 0.5, 0] } });
    expect(sent[0]?.all).toEqual(["$origin/**"]);
    expect(sent[1]).toBeUndefined();
    expect(sent[2]).toBeUndefined();
    expect(sent[3]?.blendshapes).toEqual(["mouthPucker", "jawOpen", "eyeBlinkLeft", "eyeBlinkRight", "mouthClose", "browInnerUp"]
      .map((n) => `+ blendshapes/0/${n}`));
    expect(sent[3]?.all).toEqual(["$origin/**"]);
    expect(sent[3]?.camera?.lookTarget[0]).toBeGreaterThan(syntheticFrame(0, [0]).faces.landmarksNorm[0]);
    expect(sent[3]?.camera?.position[2]).toBeLessThan(-0.01);
    expect(sent[3]?.camera?.position[2]).toBeGreaterThan(wholePicture.position[2]); // closer: on the face
    expect(sent[4]).toBeUndefined();
    expect(atEnd).toBeNull(); // the whole clip chose the same: nothing new to send

    // Later frames that move other categories, more than the first ones did: sent again at the end.
    for (let i = 80; i < 200; i++) scene.add(frame(i, { noseSneerLeft: 1, noseSneerRight: 1 }));
    scene.finish();
    const changed = layoutOf(rec.flush()!);
    expect(changed?.blendshapes.slice(0, 2)).toEqual(["+ blendshapes/0/noseSneerLeft", "+ blendshapes/0/noseSneerRight"]);
  });

  it("logs a still's picture at the still's time point, never static (a static EncodedImage freezes the 0.33 viewer)", () => {
    const jpeg = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9);
    const rec = new Recording({ applicationId: "t" });
    const scene = new FaceScene(rec, { asset: { kind: "image", bytes: jpeg, mediaType: "image/jpeg" }, width: 640, height: 360 });
    scene.begin();
    scene.add(syntheticFrame(STILL_TIME.index, [0]));
    scene.finish();
    const rrd = inspectRrd(rec.flush()!);
    const images = rrd.chunks.filter((c) => c.table.getChild("EncodedImage:blob"));
    expect(images.map(path)).toEqual(["video"]);
    const [image] = images;
    expect(image.message.isStatic).toBe(false);
    expect(column(image.table, "frame_idx")).toEqual([BigInt(STILL_TIME.index)]);
    expect(column(image.table, "time")).toEqual([BigInt(STILL_TIME.timestampUs * 1000)]);
    expect(column(image.table, "EncodedImage:media_type")).toEqual([["image/jpeg"]]);
    expect(Array.from((column(image.table, "EncodedImage:blob")[0] as number[][])[0])).toEqual(Array.from(jpeg));
    // The analysed frame sits at the same point, so the picture is shown with its overlays.
    const [jaw] = rrd.chunks.filter((c) => path(c) === "blendshapes/0/jawOpen");
    expect(column(jaw.table, "frame_idx")).toEqual(column(image.table, "frame_idx"));
    expect(column(jaw.table, "time")).toEqual(column(image.table, "time"));
  });
});

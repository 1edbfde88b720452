/** The blueprint store: entities, components and the activation command, in one stream. */
import { Blueprint, Grid, Horizontal, Recording, Spatial2DView, Spatial3DView, Tabs, TextDocumentView, TextLogView, TimeSeriesView, Vertical } from "./index";
import { uuidBytes } from "./blueprint";
import { inspectRrd } from "./inspect";
import { column, describeType, fieldOf } from "./test-support";

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

function build() {
  const bp = new Blueprint(Horizontal([
    Vertical([Spatial2DView({ origin: "/video", name: "Video", id: id(11) }), TimeSeriesView({ origin: "/plots", contents: ["+ $origin/**", "- /plots/x"], id: id(12) })], { rowShares: [2, 1], id: id(2) }),
    Tabs([Spatial3DView({ origin: "/scene", id: id(13), eyeControls: { kind: "Orbital", position: [0, 0, -1], lookTarget: [0.5, 0.5, 0], eyeUp: [0, -1, 0] } }), TextLogView({ origin: "/log", name: "Log", id: id(14) })], { activeTab: "Log", id: id(3) }),
    Grid([TextDocumentView({ id: id(15), visible: false })], { gridColumns: 2, name: "Docs", id: id(4) }),
  ], { columnShares: [1, 3, 1], id: id(1) }), { autoViews: false });
  const rec = new Recording({ applicationId: "app", recordingId: "rec" });
  rec.sendBlueprint(bp);
  return inspectRrd(rec.flush()!);
}

const rrd = build();
const chunk = (entity: string) => {
  const found = rrd.chunks.find((c) => c.entityPath === entity);
  if (!found) throw new Error(`no chunk for ${entity}`);
  return found.table;
};
const cell = (entity: string, component: string) => column(chunk(entity), component)[0];

test("stream order: recording info, blueprint info, blueprint chunks, activation command", () => {
  expect(rrd.kinds[0]).toBe(1);
  expect(rrd.kinds[1]).toBe(1);
  expect(rrd.kinds.at(-1)).toBe(3);
  expect(rrd.kinds.slice(2, -1).every((k) => k === 2)).toBe(true);
  const [recInfo, bpInfo] = rrd.storeInfos;
  expect(recInfo.storeId.kind).toBe(1);
  expect(bpInfo.storeId).toMatchObject({ kind: 2, applicationId: "app" });
  expect(rrd.activations).toEqual([{ blueprintId: bpInfo.storeId, makeActive: true, makeDefault: true }]);
  expect(rrd.chunks.every((c) => c.message.storeId.kind === 2)).toBe(true);
});

test("every blueprint chunk is at blueprint = 0 on a sequence timeline", () => {
  for (const c of rrd.chunks) {
    expect(describeType(fieldOf(c.table, "blueprint").type)).toBe("Int64");
    expect(column(c.table, "blueprint")).toEqual([0n]);
  }
});

test("views: class, name, origin, visibility and contents", () => {
  const view = `/view/${id(11)}`;
  expect(cell(view, "ViewBlueprint:class_identifier")).toEqual(["2D"]);
  expect(cell(view, "ViewBlueprint:display_name")).toEqual(["Video"]);
  expect(cell(view, "ViewBlueprint:space_origin")).toEqual(["/video"]);
  expect(cell(`${view}/ViewContents`, "ViewContents:query")).toEqual(["$origin/**"]);
  expect(cell(`/view/${id(12)}/ViewContents`, "ViewContents:query")).toEqual(["+ $origin/**", "- /plots/x"]);
  expect(cell(`/view/${id(12)}`, "ViewBlueprint:class_identifier")).toEqual(["TimeSeries"]);
  expect(cell(`/view/${id(13)}`, "ViewBlueprint:class_identifier")).toEqual(["3D"]);
  expect(cell(`/view/${id(14)}`, "ViewBlueprint:class_identifier")).toEqual(["TextLog"]);
  expect(cell(`/view/${id(15)}`, "ViewBlueprint:class_identifier")).toEqual(["TextDocument"]);
  expect(cell(`/view/${id(15)}`, "ViewBlueprint:visible")).toEqual([false]);
  expect(Object.fromEntries(fieldOf(chunk(view), "ViewBlueprint:space_origin").metadata)).toEqual({
    "rerun:kind": "data", "rerun:component": "ViewBlueprint:space_origin",
    "rerun:archetype": "rerun.blueprint.archetypes.ViewBlueprint", "rerun:component_type": "rerun.blueprint.components.ViewOrigin",
  });
  expect(fieldOf(chunk(view), "ViewBlueprint:display_name").metadata.get("rerun:component_type")).toBe("rerun.components.Name");
});

test("a 3D view's start camera is its EyeControls3D property, as the Python SDK logs it", () => {
  const eye = `/view/${id(13)}/EyeControls3D`;
  expect(cell(eye, "EyeControls3D:kind")).toEqual([2]);
  expect(cell(eye, "EyeControls3D:position")).toEqual([[0, 0, -1]]);
  expect(cell(eye, "EyeControls3D:look_target")).toEqual([[0.5, 0.5, 0]]);
  expect(cell(eye, "EyeControls3D:eye_up")).toEqual([[0, -1, 0]]);
  expect(fieldOf(chunk(eye), "EyeControls3D:eye_up").metadata.get("rerun:component_type")).toBe("rerun.components.Vector3D");
  expect(fieldOf(chunk(eye), "EyeControls3D:kind").metadata.get("rerun:archetype")).toBe("rerun.blueprint.archetypes.EyeControls3D");
  expect(rrd.chunks.some((c) => c.entityPath === `/view/${id(11)}/EyeControls3D`)).toBe(false);
});

test("containers: kind, contents, shares, active tab, grid columns, name", () => {
  const root = `/container/${id(1)}`;
  expect(cell(root, "ContainerBlueprint:container_kind")).toEqual([2]);
  expect(cell(root, "ContainerBlueprint:contents")).toEqual([`container/${id(2)}`, `container/${id(3)}`, `container/${id(4)}`]);
  expect(cell(root, "ContainerBlueprint:col_shares")).toEqual([1, 3, 1]);
  expect(cell(`/container/${id(2)}`, "ContainerBlueprint:container_kind")).toEqual([3]);
  expect(cell(`/container/${id(2)}`, "ContainerBlueprint:row_shares")).toEqual([2, 1]);
  expect(cell(`/container/${id(3)}`, "ContainerBlueprint:container_kind")).toEqual([1]);
  expect(cell(`/container/${id(3)}`, "ContainerBlueprint:active_tab")).toEqual([`view/${id(14)}`]);
  expect(cell(`/container/${id(4)}`, "ContainerBlueprint:container_kind")).toEqual([4]);
  expect(cell(`/container/${id(4)}`, "ContainerBlueprint:grid_columns")).toEqual([2]);
  expect(cell(`/container/${id(4)}`, "ContainerBlueprint:display_name")).toEqual(["Docs"]);
  expect(describeType(fieldOf(chunk(`/container/${id(4)}`), "ContainerBlueprint:grid_columns").type)).toBe("List<item?: Uint32>");
});

test("viewport: root container as 16 UUID bytes, auto views off", () => {
  expect(cell("/viewport", "ViewportBlueprint:root_container")).toEqual([Array.from(uuidBytes(id(1)))]);
  expect(describeType(fieldOf(chunk("/viewport"), "ViewportBlueprint:root_container").type)).toBe("List<item?: FixedSizeList[16]<item: Uint8>>");
  expect(cell("/viewport", "ViewportBlueprint:auto_views")).toEqual([false]);
  expect(chunk("/viewport").getChild("ViewportBlueprint:auto_layout")).toBeNull();
});

test("a lone view is wrapped in a tabs container; unknown active tab is an error", () => {
  const rows = new Blueprint(Spatial2DView({ id: id(20) })).blueprintRows();
  const container = rows.find(([e]) => e.startsWith("container/"))!;
  const kind = container[1].batches.find((b) => b.descriptor.component === "ContainerBlueprint:container_kind")!;
  expect(Array.from(kind.values as Uint8Array)).toEqual([1]);
  expect(() => new Blueprint(Tabs([Spatial2DView()], { activeTab: "nope" })).blueprintRows()).toThrow(/active tab/);
  expect(() => uuidBytes("xyz")).toThrow(/UUID/);
});

test("the time panel's play state is written only when asked for", () => {
  const rows = (o: ConstructorParameters<typeof Blueprint>[1]) => new Blueprint(Spatial2DView({ id: id(21) }), o).blueprintRows();
  expect(rows({}).find(([e]) => e === "time_panel")).toBeUndefined();
  const panel = rows({ playState: "paused" }).find(([e]) => e === "time_panel")!;
  const [state] = panel[1].batches;
  expect(state.descriptor).toEqual({
    archetype: "rerun.blueprint.archetypes.TimePanelBlueprint", component: "TimePanelBlueprint:play_state",
    componentType: "rerun.blueprint.components.PlayState",
  });
  expect(Array.from(state.values as Uint8Array)).toEqual([1]);
  const following = rows({ playState: "following" }).find(([e]) => e === "time_panel")!;
  expect(Array.from(following[1].batches[0].values as Uint8Array)).toEqual([3]);
});

/**
 * Blueprint builder: the viewer layout as containers of views, written to a blueprint store the
 * way Rerun 0.33's Python SDK writes it (`/view/<uuid>`, `/container/<uuid>`, `/viewport`).
 * Send it with `Recording.sendBlueprint`, which activates it as the default layout.
 */
import { Float32, Uint32, Uint8 } from "apache-arrow";
import { numericCodec } from "./arrow";
import {
  archetypeBatches, componentType, enumFrom, field, Name, Position3D, Vector3D, Visible, type Archetype, type ComponentType,
  type Numbers,
} from "./components";
import type { BlueprintLike } from "./recording";
import { uuidv4 } from "./tuid";

const bp = (name: string) => `rerun.blueprint.components.${name}`;
const text = (name: string) => componentType(bp(name), Name.codec, Name.from);
const bool = (name: string) => componentType(bp(name), Visible.codec, Visible.from);
const floats = (name: string) =>
  componentType(bp(name), numericCodec<Float32Array>(new Float32()), (v: Numbers) => Float32Array.from(typeof v === "number" ? [v] : v));

const ViewClass = text("ViewClass");
const ViewOrigin = text("ViewOrigin");
const QueryExpression = text("QueryExpression");
const IncludedContent = text("IncludedContent");
const ActiveTab = text("ActiveTab");
const ColumnShare = floats("ColumnShare");
const RowShare = floats("RowShare");
const GridColumns = componentType(bp("GridColumns"), numericCodec<Uint32Array>(new Uint32()), (n: number) => Uint32Array.of(n));
const AutoLayout = bool("AutoLayout");
const AutoViews = bool("AutoViews");
const ContainerKind = componentType(bp("ContainerKind"), numericCodec<Uint8Array>(new Uint8()), enumFrom({ Tabs: 1, Horizontal: 2, Vertical: 3, Grid: 4 }));
const PlayState = componentType(bp("PlayState"), numericCodec<Uint8Array>(new Uint8()), enumFrom({ paused: 1, playing: 2, following: 3 }));
const Eye3DKind = componentType(bp("Eye3DKind"), numericCodec<Uint8Array>(new Uint8()), enumFrom({ FirstPerson: 1, Orbital: 2 }));
const RootContainer: ComponentType<string, Uint8Array> = componentType(bp("RootContainer"), numericCodec<Uint8Array>(new Uint8(), 16), uuidBytes);

/** The 16 bytes of a UUID string (what Python's `uuid.UUID.bytes` gives). */
export function uuidBytes(uuid: string): Uint8Array {
  const hex = uuid.replace(/-/g, "");
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error(`not a UUID: ${uuid}`);
  return Uint8Array.from({ length: 16 }, (_, i) => parseInt(hex.slice(2 * i, 2 * i + 2), 16));
}

const archetype = (name: string, fields: Parameters<typeof archetypeBatches>[1]): Archetype =>
  archetypeBatches(`rerun.blueprint.archetypes.${name}`, fields);

/** Anything that can sit in a container. */
export interface BlueprintPart {
  readonly id: string;
  /** `view/<id>` or `container/<id>`: the entity (without leading slash, as Python writes it). */
  readonly path: string;
  readonly name?: string;
  rows(): Array<readonly [string, Archetype]>;
}

export interface ViewOptions {
  /** Root entity of the view; paths in `contents` may use `$origin`. Default `/`. */
  origin?: string;
  /** Query expressions such as `+ /video/**` or `- /video/secret`. Default `$origin/**`. */
  contents?: string | readonly string[];
  name?: string;
  visible?: boolean;
  /** Fixed UUID, for reproducible output; random by default. */
  id?: string;
  /** 3D views only: the camera the view opens with (Rerun's `EyeControls3D` view property). */
  eyeControls?: EyeControls;
}

/** A 3D view's start camera, in the scene's coordinates. */
export interface EyeControls {
  kind?: "FirstPerson" | "Orbital";
  position: readonly [number, number, number];
  lookTarget: readonly [number, number, number];
  eyeUp?: readonly [number, number, number];
}

class View implements BlueprintPart {
  readonly id: string;
  readonly path: string;
  readonly name?: string;

  constructor(private readonly classIdentifier: string, private readonly options: ViewOptions) {
    this.id = options.id ?? uuidv4();
    this.path = `view/${this.id}`;
    this.name = options.name;
  }

  rows(): Array<readonly [string, Archetype]> {
    const o = this.options;
    const contents = o.contents === undefined ? ["$origin/**"] : typeof o.contents === "string" ? [o.contents] : [...o.contents];
    return [
      [`${this.path}/ViewContents`, archetype("ViewContents", [field("query", QueryExpression, contents)])],
      [this.path, archetype("ViewBlueprint", [
        field("class_identifier", ViewClass, this.classIdentifier),
        field("display_name", Name, o.name),
        field("space_origin", ViewOrigin, o.origin ?? "/"),
        field("visible", Visible, o.visible),
      ])],
      // A view property is an archetype on `view/<id>/<ArchetypeName>`, as the Python SDK logs it.
      ...(o.eyeControls ? [[`${this.path}/EyeControls3D`, archetype("EyeControls3D", [
        field("kind", Eye3DKind, o.eyeControls.kind),
        field("position", Position3D, [o.eyeControls.position]),
        field("look_target", Position3D, [o.eyeControls.lookTarget]),
        field("eye_up", Vector3D, o.eyeControls.eyeUp && [o.eyeControls.eyeUp]),
      ])] as const] : []),
    ];
  }
}

export const Spatial2DView = (o: ViewOptions = {}): BlueprintPart => new View("2D", o);
export const Spatial3DView = (o: ViewOptions = {}): BlueprintPart => new View("3D", o);
export const TimeSeriesView = (o: ViewOptions = {}): BlueprintPart => new View("TimeSeries", o);
export const TextDocumentView = (o: ViewOptions = {}): BlueprintPart => new View("TextDocument", o);
export const TextLogView = (o: ViewOptions = {}): BlueprintPart => new View("TextLog", o);

export interface ContainerOptions {
  name?: string;
  visible?: boolean;
  /** Relative widths of the columns (horizontal and grid containers). */
  columnShares?: readonly number[];
  /** Relative heights of the rows (vertical and grid containers). */
  rowShares?: readonly number[];
  /** Grid only: number of columns. */
  gridColumns?: number;
  /** Tabs only: index or name of the tab shown first. */
  activeTab?: number | string;
  id?: string;
}

type Kind = "Tabs" | "Horizontal" | "Vertical" | "Grid";

class Container implements BlueprintPart {
  readonly id: string;
  readonly path: string;
  readonly name?: string;

  constructor(private readonly kind: Kind, private readonly contents: readonly BlueprintPart[], private readonly options: ContainerOptions) {
    this.id = options.id ?? uuidv4();
    this.path = `container/${this.id}`;
    this.name = options.name;
  }

  rows(): Array<readonly [string, Archetype]> {
    const o = this.options;
    let activeTab: string | undefined;
    if (o.activeTab !== undefined) {
      const tab = typeof o.activeTab === "number" ? this.contents[o.activeTab] : this.contents.find((c) => c.name === o.activeTab);
      if (!tab) throw new Error(`active tab ${o.activeTab} is not in the container`);
      activeTab = tab.path;
    }
    return [
      ...this.contents.flatMap((c) => c.rows()),
      [this.path, archetype("ContainerBlueprint", [
        field("container_kind", ContainerKind, this.kind),
        field("display_name", Name, o.name),
        field("contents", IncludedContent, this.contents.map((c) => c.path)),
        field("col_shares", ColumnShare, o.columnShares),
        field("row_shares", RowShare, o.rowShares),
        field("active_tab", ActiveTab, activeTab),
        field("visible", Visible, o.visible),
        field("grid_columns", GridColumns, o.gridColumns),
      ])],
    ];
  }
}

export const Horizontal = (contents: readonly BlueprintPart[], o: ContainerOptions = {}): BlueprintPart => new Container("Horizontal", contents, o);
export const Vertical = (contents: readonly BlueprintPart[], o: ContainerOptions = {}): BlueprintPart => new Container("Vertical", contents, o);
export const Grid = (contents: readonly BlueprintPart[], o: ContainerOptions = {}): BlueprintPart => new Container("Grid", contents, o);
export const Tabs = (contents: readonly BlueprintPart[], o: ContainerOptions = {}): BlueprintPart => new Container("Tabs", contents, o);

export interface BlueprintOptions {
  /** Let the viewer rearrange views itself. */
  autoLayout?: boolean;
  /** Let the viewer add views for data the blueprint does not show. */
  autoViews?: boolean;
  /** The time panel's playback: paused, playing, or following the newest data. */
  playState?: "paused" | "playing" | "following";
}

/** A full layout. A lone view as root is wrapped in a Tabs container, as in Rerun's SDK. */
export class Blueprint implements BlueprintLike {
  private readonly root: BlueprintPart;

  constructor(root: BlueprintPart, private readonly options: BlueprintOptions = {}) {
    this.root = root instanceof View ? Tabs([root]) : root;
  }

  blueprintRows(): Array<readonly [string, Archetype]> {
    return [
      ...this.root.rows(),
      ["viewport", archetype("ViewportBlueprint", [
        field("root_container", RootContainer, this.root.id),
        field("auto_layout", AutoLayout, this.options.autoLayout),
        field("auto_views", AutoViews, this.options.autoViews),
      ])],
      ...(this.options.playState
        ? [["time_panel", archetype("TimePanelBlueprint", [field("play_state", PlayState, this.options.playState)])] as const]
        : []),
    ];
  }
}

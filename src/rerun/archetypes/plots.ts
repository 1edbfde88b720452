/** Time-series archetypes: scalar values and how their series are drawn. */
import {
  AggregationPolicy, archetypeBatches, Color, field, InterpolationMode, MarkerShape, MarkerSize, Name, Scalar,
  StrokeWidth, Visible, type Archetype, type Colors, type Numbers, type Texts,
} from "../components";

type EnumInput<F> = F extends (input: infer I) => unknown ? I : never;

/** One or more scalar values; several values in one row are several series. */
export function Scalars(values: Numbers): Archetype {
  return archetypeBatches("Scalars", [field("scalars", Scalar, values)]);
}

export interface SeriesLinesProps {
  colors?: Colors;
  widths?: Numbers;
  names?: Texts;
  visibleSeries?: boolean | readonly boolean[];
  /** How points are reduced when zoomed out: "Off", "Average", "Max", "Min", "MinMax", "MinMaxAverage". */
  aggregationPolicy?: EnumInput<typeof AggregationPolicy.from>;
  /** "Linear", "StepAfter", "StepBefore" or "StepMid". */
  interpolationMode?: EnumInput<typeof InterpolationMode.from>;
}

/** Line styling for the Scalars on the same entity; usually logged static. */
export function SeriesLines(p: SeriesLinesProps): Archetype {
  return archetypeBatches("SeriesLines", [
    field("colors", Color, p.colors),
    field("widths", StrokeWidth, p.widths),
    field("names", Name, p.names),
    field("visible_series", Visible, p.visibleSeries),
    field("aggregation_policy", AggregationPolicy, p.aggregationPolicy),
    field("interpolation_mode", InterpolationMode, p.interpolationMode),
  ]);
}

export interface SeriesPointsProps {
  colors?: Colors;
  /** "Circle", "Diamond", "Square", "Cross", "Plus", "Up", "Down", "Left", "Right", "Asterisk". */
  markers?: EnumInput<typeof MarkerShape.from>;
  names?: Texts;
  visibleSeries?: boolean | readonly boolean[];
  markerSizes?: Numbers;
}

/** Point-marker styling for the Scalars on the same entity; usually logged static. */
export function SeriesPoints(p: SeriesPointsProps): Archetype {
  return archetypeBatches("SeriesPoints", [
    field("colors", Color, p.colors),
    field("markers", MarkerShape, p.markers),
    field("names", Name, p.names),
    field("visible_series", Visible, p.visibleSeries),
    field("marker_sizes", MarkerSize, p.markerSizes),
  ]);
}

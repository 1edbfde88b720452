/** Text archetypes: log lines and documents. */
import { archetypeBatches, Color, field, MediaType, packColor, Text, TextLogLevel, type Archetype, type ColorLike } from "../components";

/** Rerun's standard log levels; any other string is accepted too. */
export type LogLevel = "CRITICAL" | "ERROR" | "WARN" | "INFO" | "DEBUG" | "TRACE";

export function TextLog(text: string, options: { level?: LogLevel | (string & {}); color?: ColorLike } = {}): Archetype {
  return archetypeBatches("TextLog", [
    field("text", Text, text),
    field("level", TextLogLevel, options.level),
    // One colour for the line: a bare tuple here is a colour, never a list of packed colours.
    field("color", Color, options.color === undefined ? undefined : packColor(options.color)),
  ]);
}

/** A text or Markdown document shown in a text-document view. */
export function TextDocument(text: string, options: { mediaType?: "text/plain" | "text/markdown" | (string & {}) } = {}): Archetype {
  return archetypeBatches("TextDocument", [field("text", Text, text), field("media_type", MediaType, options.mediaType)]);
}

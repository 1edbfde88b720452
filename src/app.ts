// The app bundle: everything heavy (viewer, inference, writer) is reached from here and loaded
// by URL, so webpack can resolve wasm and worker files next to it.
export { render } from "./widget/render";

// The anywidget ES module: deliberately tiny (anywidget gives a module 2 s to load), it pulls
// the real front end on first render (src/frontend/load.ts: the labextension, else the kernel).
import { mount } from "./frontend/load";
import type { Cleanup, RenderProps } from "./widget/model";

export default {
  async render(props: RenderProps): Promise<Cleanup> {
    return mount(props);
  },
};

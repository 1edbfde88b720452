// The anywidget ES module: deliberately tiny (anywidget gives a module 2 s to load), it pulls
// the real front end from the labextension on first render.
import { mount } from "./widget/load";
import type { Cleanup, RenderProps } from "./widget/model";

export default {
  async render(props: RenderProps): Promise<Cleanup> {
    return mount(props);
  },
};

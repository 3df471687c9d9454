// Placeholder until this page is built (issue 19).
import { h } from "../lib/dom.js";

export default function halaman() {
  return h("div", null, h("h1", null, "Pemberitahuan"), h("p", null, "Halaman ini sedang disiapkan."));
}

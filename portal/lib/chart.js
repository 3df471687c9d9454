// Hand-written SVG charts (no library): horizontal bars, each labelled with its value in text
// (meaning never by colour alone). The SVG is one image to assistive technology (role="img",
// <title>, aria-label saying every value); the same numbers follow as a table.
import { h } from "./dom.js";
import { table } from "./ui.js";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 360;
const ROW = 40; // a row: its label above, its bar below

/** @param {string} tag @param {Record<string, string | number>} [attributes] @param {...(Node | string)} children */
function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  for (const child of children) element.append(child);
  return element;
}

/**
 * A horizontal bar chart with its table: `batang({ judul, data: [{ label, nilai, teks, lengkap }] })`.
 * `teks` is what a bar's value reads as (default: the number); `lengkap` a long label for the
 * table and the description where the chart shows a short one; `maks` the scale's end (default:
 * the largest value). `kolom` names the table's columns.
 * @param {{ judul: string, data: { label: string, nilai: number, teks?: string, lengkap?: string }[], maks?: number, kolom?: [string, string] }} spec
 */
export function batang(spec) {
  const max = Math.max(spec.maks ?? 0, ...spec.data.map((d) => d.nilai), 1);
  const height = spec.data.length * ROW + 4;
  const said = spec.data.map((d) => `${d.lengkap ?? d.label}: ${d.teks ?? d.nilai}`).join("; ");
  const room = WIDTH - 100; // the value's text after the longest bar
  const chart = svg(
    "svg",
    { viewBox: `0 0 ${WIDTH} ${height}`, role: "img", "aria-label": `${spec.judul}. ${said}`, class: "grafik" },
    svg("title", {}, `${spec.judul}. ${said}`),
    ...spec.data.map((d, i) => {
      const y = i * ROW;
      const width = Math.max((d.nilai / max) * room, d.nilai > 0 ? 2 : 0);
      return svg(
        "g",
        { "aria-hidden": "true" },
        svg("text", { x: 0, y: y + 13, class: "grafik-label" }, d.label),
        svg("rect", { x: 0, y: y + 18, width: width.toFixed(1), height: 16, rx: 2, class: "batang" }),
        svg("text", { x: (width + 6).toFixed(1), y: y + 31, class: "grafik-nilai" }, d.teks ?? String(d.nilai)),
      );
    }),
  );
  const [first, second] = spec.kolom ?? ["Kategori", "Jumlah"];
  return h(
    "figure",
    { class: "grafik-bingkai" },
    chart,
    h(
      "details",
      null,
      h("summary", null, `Tabel: ${spec.judul}`),
      table({
        caption: spec.judul,
        columns: [
          { label: first, cell: (/** @type {any} */ d) => d.lengkap ?? d.label },
          { label: second, cell: (/** @type {any} */ d) => d.teks ?? String(d.nilai), numeric: true },
        ],
        rows: spec.data,
      }),
    ),
  );
}

// Building the page from elements, never from markup strings: every text goes in as a text node, so nothing a user
// typed (a name, an RHK, a note) can become markup (no XSS by construction).

/**
 * An element: `h("button", { type: "button", onclick: f }, "Setujui")`.
 * Props: `on*` functions become listeners; `true` sets a boolean attribute, `false`/null/
 * undefined leaves it out; `class` may be an array (falsy parts dropped); everything else is an
 * attribute. Children: strings and numbers become text, arrays are flattened, null/false skipped.
 * @param {string} tag
 * @param {Record<string, any> | null} [props]
 * @param {...any} children
 * @returns {HTMLElement}
 */
export function h(tag, props, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2), value);
    } else if (name === "class" && Array.isArray(value)) {
      element.className = value.filter(Boolean).join(" ");
    } else if (name === "value" && "value" in element) {
      /** @type {HTMLInputElement} */ (element).value = String(value);
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(element, children);
  return element;
}

/** @param {Node} parent @param {any[]} children */
function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false || child === true) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace what `parent` holds. @param {Element} parent @param {...any} children */
export function replace(parent, ...children) {
  parent.replaceChildren();
  append(parent, children);
  return parent;
}

/** Say something to screen readers (the polite live region of index.html). @param {string} text */
export function announce(text) {
  const region = document.getElementById("pengumuman");
  if (!region) return;
  region.textContent = "";
  // A new text node on the next frame: screen readers announce a change, not a repeat.
  requestAnimationFrame(() => (region.textContent = text));
}

let counter = 0;
/** A unique id for label/aria links. @param {string} prefix */
export function uid(prefix = "e") {
  counter += 1;
  return `${prefix}-${counter}`;
}

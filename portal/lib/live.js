// Live updates (decision 0042): subscriptions over ONE graphql-transport-ws connection per tab
// (the service limits connections per person), falling back to GraphQL over SSE (a POST with
// Accept: text/event-stream, one stream per subscription) where a proxy never lets the
// WebSocket open. Reconnects with backoff and resubscribes each subscription after the last
// event it saw (its cursor), so nothing is skipped or repeated across a reconnect.
import { OPERASI } from "../generated/operasi.js";
import { config } from "./api.js";

const MAX_BACKOFF_MS = 30_000;

/** @typedef {{ onEvent: (data: any) => void, onState?: (state: "terhubung" | "terputus") => void, cursorOf?: (data: any) => string | null }} Handlers */
/** @typedef {{ id: string, name: string, variables: Record<string, unknown>, after: string | null, handlers: Handlers, stopSse?: () => void }} Langganan */

/** @type {Map<string, Langganan>} */
const active = new Map();
let nextId = 0;
/** @type {WebSocket | null} */
let socket = null;
let acknowledged = false;
let backoff = 1000;
let failedOpens = 0;
let useSse = typeof WebSocket === "undefined";

/**
 * Subscribe to a subscription of generated/operasi.js by name; returns a function that stops it.
 * `cursorOf(data)` says where an event is, to resume after it.
 * @param {string} name @param {Record<string, unknown>} variables @param {Handlers} handlers
 */
export function subscribe(name, variables, handlers) {
  nextId += 1;
  /** @type {Langganan} */
  const entry = { id: String(nextId), name, variables, after: null, handlers };
  active.set(entry.id, entry);
  if (useSse) startSse(entry);
  else if (socket && acknowledged) {
    sendSubscribe(entry);
    handlers.onState?.("terhubung"); // the tab's connection is up already: say so to this one too
  } else if (!socket) connect();
  return () => {
    active.delete(entry.id);
    entry.stopSse?.();
    if (socket && acknowledged) socket.send(JSON.stringify({ id: entry.id, type: "complete" }));
    if (!active.size && socket) {
      const closing = socket;
      socket = null;
      closing.close(1000);
    }
  };
}

/** @param {Langganan} entry @param {any} data */
function deliver(entry, data) {
  backoff = 1000;
  const cursor = entry.handlers.cursorOf?.(data);
  if (cursor) entry.after = cursor;
  entry.handlers.onEvent(data);
}

/** @param {"terhubung" | "terputus"} state */
function tell(state) {
  for (const entry of active.values()) entry.handlers.onState?.(state);
}

/** @param {Langganan} entry */
function payload(entry) {
  return {
    query: OPERASI[/** @type {keyof typeof OPERASI} */ (entry.name)],
    operationName: entry.name,
    variables: entry.after ? { ...entry.variables, after: entry.after } : entry.variables,
  };
}

/** @param {Langganan} entry */
function sendSubscribe(entry) {
  socket?.send(JSON.stringify({ id: entry.id, type: "subscribe", payload: payload(entry) }));
}

function retryLater() {
  if (!active.size) return;
  tell("terputus");
  setTimeout(() => (useSse ? [...active.values()].forEach(startSse) : connect()), backoff);
  backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
}

function connect() {
  if (!active.size || socket) return;
  const address = new URL(`${config.api}/graphql`, location.href);
  address.protocol = address.protocol === "https:" ? "wss:" : "ws:";
  const current = new WebSocket(address, "graphql-transport-ws");
  socket = current;
  acknowledged = false;
  let opened = false;
  current.onopen = () => {
    opened = true;
    failedOpens = 0;
    current.send(JSON.stringify({ type: "connection_init", payload: {} }));
  };
  current.onmessage = (message) => {
    const frame = JSON.parse(message.data);
    if (frame.type === "connection_ack") {
      acknowledged = true;
      tell("terhubung");
      for (const entry of active.values()) sendSubscribe(entry);
    } else if (frame.type === "ping") {
      current.send(JSON.stringify({ type: "pong" }));
    } else if (frame.type === "next" && frame.payload?.data) {
      const entry = active.get(frame.id);
      if (entry) deliver(entry, frame.payload.data);
    } else if (frame.type === "error" || frame.type === "complete") {
      // The service ended it (SLOW_SUBSCRIBER and the like): resume after its last cursor.
      const entry = active.get(frame.id);
      if (entry) setTimeout(() => socket === current && acknowledged && sendSubscribe(entry), backoff);
    }
  };
  current.onclose = () => {
    if (socket !== current) return; // closed by us
    socket = null;
    acknowledged = false;
    if (!opened && ++failedOpens >= 2) useSse = true; // a proxy that refuses WebSockets
    retryLater();
  };
}

/** One SSE stream for one subscription. @param {Langganan} entry */
function startSse(entry) {
  if (!active.has(entry.id)) return;
  const controller = new AbortController();
  entry.stopSse = () => controller.abort();
  (async () => {
    const response = await fetch(`${config.api}/graphql`, {
      method: "POST",
      credentials: "include",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify(payload(entry)),
      signal: controller.signal,
    });
    if (!response.ok || !response.body) throw new Error(`SSE ${response.status}`);
    entry.handlers.onState?.("terhubung");
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: *(.*)$/m.exec(block)?.[1];
        const data = [...block.matchAll(/^data: ?(.*)$/gm)].map((m) => m[1]).join("\n");
        if (event === "next" && data) {
          const result = JSON.parse(data);
          if (result.data) deliver(entry, result.data);
        }
      }
    }
  })().then(
    () => !controller.signal.aborted && retrySse(entry),
    () => !controller.signal.aborted && retrySse(entry),
  );
}

/** @param {Langganan} entry */
function retrySse(entry) {
  if (!active.has(entry.id)) return;
  entry.handlers.onState?.("terputus");
  setTimeout(() => startSse(entry), backoff);
  backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
}

/** The cursor of a PeristiwaSkpSubscription event. @param {any} data */
export function peristiwaCursor(data) {
  return data?.peristiwaSkp?.cursor ?? null;
}

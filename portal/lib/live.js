// Live updates (decision 0042): a subscription over graphql-transport-ws on /graphql, falling
// back to GraphQL over SSE (a POST with Accept: text/event-stream) where a proxy forbids
// WebSockets. Reconnects with backoff and resumes from the last event's cursor, so nothing is
// skipped or repeated across a reconnect.
import { OPERASI } from "../generated/operasi.js";
import { config } from "./api.js";

const MAX_BACKOFF_MS = 30_000;

/**
 * Subscribe to a subscription operation of generated/operasi.js by name.
 * `onEvent(data)` gets each result's data; `onState(state)` gets "terhubung" | "terputus".
 * The variables get `after` = the last event's cursor on each reconnect when `cursorOf(data)`
 * says where it is. Returns a function that stops it.
 * @param {string} name
 * @param {Record<string, unknown>} variables
 * @param {{ onEvent: (data: any) => void, onState?: (state: string) => void, cursorOf?: (data: any) => string | null }} handlers
 */
export function subscribe(name, variables, { onEvent, onState = () => {}, cursorOf = () => null }) {
  const query = OPERASI[name];
  let stopped = false;
  let backoff = 1000;
  let after = /** @type {string | null} */ (null);
  let close = () => {};
  let useSse = typeof WebSocket === "undefined";
  let failedOpens = 0;

  const deliver = (/** @type {any} */ data) => {
    backoff = 1000;
    const cursor = cursorOf(data);
    if (cursor) after = cursor;
    onEvent(data);
  };
  const payload = () => ({
    query,
    operationName: name,
    variables: after ? { ...variables, after } : variables,
  });
  const retry = () => {
    if (stopped) return;
    onState("terputus");
    setTimeout(connect, backoff);
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  };

  function connect() {
    if (stopped) return;
    close = useSse ? overSse(payload(), deliver, onState, retry) : overWebSocket(payload(), deliver, onState, retry, () => {
      failedOpens += 1;
      if (failedOpens >= 2) useSse = true; // a proxy that never lets the WebSocket open
    });
  }
  connect();
  return () => {
    stopped = true;
    close();
  };
}

/** @param {any} payload @param {(d: any) => void} deliver @param {(s: string) => void} onState @param {() => void} retry @param {() => void} neverOpened */
function overWebSocket(payload, deliver, onState, retry, neverOpened) {
  const address = new URL(`${config.api}/graphql`, location.href);
  address.protocol = address.protocol === "https:" ? "wss:" : "ws:";
  const socket = new WebSocket(address, "graphql-transport-ws");
  let opened = false;
  let closedByUs = false;
  socket.onopen = () => {
    opened = true;
    socket.send(JSON.stringify({ type: "connection_init", payload: {} }));
  };
  socket.onmessage = (message) => {
    const frame = JSON.parse(message.data);
    if (frame.type === "connection_ack") {
      onState("terhubung");
      socket.send(JSON.stringify({ id: "1", type: "subscribe", payload }));
    } else if (frame.type === "ping") {
      socket.send(JSON.stringify({ type: "pong" }));
    } else if (frame.type === "next" && frame.payload?.data) {
      deliver(frame.payload.data);
    } else if (frame.type === "error" || frame.type === "complete") {
      socket.close(); // SLOW_SUBSCRIBER and the like end the subscription: resume from the cursor
    }
  };
  socket.onclose = () => {
    if (closedByUs) return;
    if (!opened) neverOpened();
    retry();
  };
  return () => {
    closedByUs = true;
    socket.close();
  };
}

/** @param {any} payload @param {(d: any) => void} deliver @param {(s: string) => void} onState @param {() => void} retry */
function overSse(payload, deliver, onState, retry) {
  const controller = new AbortController();
  (async () => {
    const response = await fetch(`${config.api}/graphql`, {
      method: "POST",
      credentials: "include",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify(payload),
      signal: controller.signal,
    });
    if (!response.ok || !response.body) throw new Error(`SSE ${response.status}`);
    onState("terhubung");
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
          if (result.data) deliver(result.data);
        }
      }
    }
  })().then(retry, () => {
    if (!controller.signal.aborted) retry();
  });
  return () => controller.abort();
}

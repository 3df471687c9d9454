// The portal's only way to the service: the operations of generated/operasi.js (generated from
// the contract's documents in examples/portal/, with their types in generated/types.d.ts), sent
// by name. No GraphQL is written anywhere else in the portal (tests/test_portal_static.py).
import { OPERASI } from "../generated/operasi.js";

/** @typedef {{ api: string, masuk: { oidc: boolean, pengembangan: boolean }, instansi: string | null }} Konfigurasi */

const TIMEOUT_MS = 30_000; // every request has a deadline: a frozen service shows an error

/** @type {Konfigurasi} */
export const config = { api: "", masuk: { oidc: false, pengembangan: false }, instansi: null };

/** Read config.json (the service writes it when it serves the portal; a portal on its own origin ships its own). */
export async function loadConfig() {
  const response = await fetch(new URL("../config.json", import.meta.url)); // preloaded by index.html
  if (response.ok) Object.assign(config, await response.json());
  return config;
}

/** A URL of the service: `url("/graphql")`. @param {string} path */
export function url(path) {
  return `${config.api}${path}`;
}

/** A request the service refused or could not answer: code is the service's error code. */
export class ApiError extends Error {
  /** @param {string} code @param {string} message @param {number} [status] @param {string | null} [field] */
  constructor(code, message, status = 0, field = null) {
    super(message);
    this.code = code;
    this.status = status;
    this.field = field;
  }
}

/** Called when the session is gone (401): the app shows the login page. */
let onUnauthenticated = () => {};
/** @param {() => void} handler */
export function whenUnauthenticated(handler) {
  onUnauthenticated = handler;
}

/**
 * fetch() to the service with the session cookie and a deadline; a 401 ends the session here.
 * @param {string} path @param {RequestInit} [init]
 */
export async function send(path, init = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  let response;
  try {
    response = await fetch(url(path), { credentials: "include", ...init, signal: controller.signal });
  } catch (error) {
    const timedOut = controller.signal.aborted;
    throw new ApiError(
      timedOut ? "TIMEOUT" : "NETWORK",
      timedOut ? "Layanan tidak menjawab. Coba lagi sebentar lagi." : "Tidak dapat menghubungi layanan. Periksa koneksi Anda.",
    );
  } finally {
    clearTimeout(timer);
  }
  if (response.status === 401) {
    onUnauthenticated();
    throw new ApiError("UNAUTHENTICATED", "Sesi Anda berakhir. Silakan masuk lagi.", 401);
  }
  return response;
}

/** The envelope of a refused HTTP request (non-GraphQL routes), as an ApiError. @param {Response} response */
export async function refusal(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    /* not JSON: the status says enough */
  }
  const error = body?.error ?? body?.errors?.[0] ?? {};
  return new ApiError(
    error.code ?? error.extensions?.code ?? `HTTP_${response.status}`,
    error.message ?? `Permintaan ditolak (${response.status}).`,
    response.status,
    error.field ?? error.extensions?.field ?? null,
  );
}

/**
 * Run a query (or a mutation without error members) by name; its data, or an ApiError.
 * @param {keyof typeof OPERASI} name @param {Record<string, unknown>} [variables]
 * @returns {Promise<any>}
 */
export async function query(name, variables = {}) {
  const document = OPERASI[name];
  if (!document) throw new ApiError("UNKNOWN_OPERATION", `Operasi ${String(name)} tidak dikenal.`);
  const response = await send("/graphql", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/graphql-response+json, application/json" },
    body: JSON.stringify({ query: document, variables, operationName: name }),
  });
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`HTTP_${response.status}`, `Jawaban layanan tidak terbaca (${response.status}).`, response.status);
  }
  if (body.errors?.length && !body.data) {
    const [first] = body.errors;
    throw new ApiError(first.extensions?.code ?? `HTTP_${response.status}`, first.message, response.status, first.extensions?.field ?? null);
  }
  if (body.errors?.length) {
    const [first] = body.errors; // a field failed: say so rather than show half a page as whole
    throw new ApiError(first.extensions?.code ?? "PARTIAL", first.message, response.status, first.extensions?.field ?? null);
  }
  return body.data;
}

/**
 * Run a mutation whose result is a union with MutationError members (every mutation of the
 * contract). Returns `{ ok }` with the success member or `{ error }` with `{ code, message,
 * field, rows }`: a refusal is data, shown next to the form, never an exception.
 * @param {keyof typeof OPERASI} name @param {Record<string, unknown>} [variables]
 * @returns {Promise<{ ok?: any, error?: { code: string, message: string, field?: string | null, rows?: any[] } }>}
 */
export async function mutate(name, variables = {}) {
  let data;
  try {
    data = await query(name, variables);
  } catch (error) {
    if (error instanceof ApiError) return { error: { code: error.code, message: error.message, field: error.field } };
    throw error;
  }
  const [result] = Object.values(data);
  if (result && typeof result === "object" && "code" in result && "message" in result) return { error: result };
  return { ok: result };
}

// Runs graphql-http's server audits (the GraphQL over HTTP conformance suite) against a
// running /graphql and prints one JSON array of {id, name, status, reason, responseStatus,
// responseBody} on stdout. Usage: node graphql_http_audit.mjs URL [HEADERS_JSON]
// HEADERS_JSON is added to every request the audits make (a bearer token): every /graphql
// request must be authenticated, and the audits send none of their own.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { auditServer } = require(process.env.GRAPHQL_HTTP_MODULE || "graphql-http");

const [url, headersJson = "{}"] = process.argv.slice(2);
const extra = JSON.parse(headersJson);

function withExtra(init = {}) {
  const headers = new Headers(init.headers || {});
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  return { ...init, headers };
}

const results = await auditServer({
  url,
  fetchFn: (input, init) => fetch(input, withExtra(init)),
});
const out = [];
for (const result of results) {
  const entry = { id: result.id, name: result.name, status: result.status };
  if (result.status !== "ok") {
    entry.reason = result.reason;
    entry.responseStatus = result.response.status;
    try {
      entry.responseBody = (await result.response.text()).slice(0, 500);
    } catch {
      entry.responseBody = null; // the audit read it already
    }
  }
  out.push(entry);
}
process.stdout.write(JSON.stringify(out));

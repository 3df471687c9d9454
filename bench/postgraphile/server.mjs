// PostGraphile 5 exposing one ekinerja tenant schema, the comparison side of bench/portal.py.
// Run as the issue measured it: the postgres superuser, no auth, no tenant binding, the amber
// preset's schema generated from the tables as they are (no smart tags), GraphiQL and watch off.
// PgIndexBehaviorsPlugin is off (as PostGraphile 4 had it by default, `ignoreIndexes`): the
// amber preset hides a backward relation whose foreign key has no index, and indikator(rhk_id)
// has none, so without this there would be no `Rhk.indikatorsByRhkId` to read.
//
//   node server.mjs <connection string> <schema> <port>
//
// Prints "listening <port>" on stdout once it accepts connections (bench/portal.py waits for
// it), and stops on SIGTERM.
import { createServer } from "node:http";
import { postgraphile } from "postgraphile";
import { makePgService } from "postgraphile/adaptors/pg";
import { grafserv } from "postgraphile/grafserv/node";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";

const [connectionString, schema, port] = process.argv.slice(2);

const preset = {
  extends: [PostGraphileAmberPreset],
  disablePlugins: ["PgIndexBehaviorsPlugin"],
  pgServices: [
    // The same pool size as the service's (EKINERJA_DB_POOL_MAX default 20).
    makePgService({ connectionString, schemas: [schema], poolConfig: { max: 20 } }),
  ],
  grafserv: { port: Number(port), graphiql: false, watch: false },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
server.on("error", (error) => {
  console.error(error);
  process.exit(1);
});
await serv.addTo(server);
server.listen(Number(port), "127.0.0.1", () => console.log(`listening ${port}`));

process.on("SIGTERM", async () => {
  server.close();
  await pgl.release();
  process.exit(0);
});

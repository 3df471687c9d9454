// relay-compiler reads GraphQL only from graphql`…` tags in JavaScript or TypeScript modules,
// never from .graphql files. This writes build/relay/src/<Name>.ts, one module per document of
// portal/ and relay/ (a portal keeps its documents in its components instead), so that
//   node relay/sources.mjs && npx relay-compiler
// compiles the same documents GraphQL Code Generator reads (docs/codegen.md). A document's
// name is its file's, so each module is named as relay-compiler requires.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const examples = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(examples, "build", "relay", "src");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
let written = 0;
for (const folder of ["portal", "relay"]) {
  for (const file of readdirSync(join(examples, folder)).sort()) {
    if (!file.endsWith(".graphql")) continue;
    const text = readFileSync(join(examples, folder, file), "utf8");
    if (text.includes("`") || text.includes("${")) throw new Error(`${file}: not a template`);
    const name = file.slice(0, -".graphql".length);
    writeFileSync(
      join(out, `${name}.ts`),
      `// Generated from ${folder}/${file} by relay/sources.mjs.\n` +
        `import { graphql } from "relay-runtime";\n\n` +
        `export const ${name} = graphql\`\n${text}\`;\n`,
    );
    written += 1;
  }
}
console.log(`relay/sources.mjs: ${written} modules in build/relay/src`);

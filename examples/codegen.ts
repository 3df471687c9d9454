// GraphQL Code Generator on the reference portal's documents (docs/codegen.md). From examples/:
//   npx graphql-codegen --config codegen.ts
// writes build/codegen/types.ts (the typescript + typescript-operations plugins) and
// build/codegen/client/ (the client preset: typed documents and a graphql() function).
import type { CodegenConfig } from "@graphql-codegen/cli";

// The scalar map of docs/integrators.md §9: every scalar of the schema travels as a string but
// JSON. strictScalars fails the run on a scalar the map lacks instead of typing it `any`.
const scalars = {
  Date: "string",
  DateTime: "string",
  Time: "string",
  Decimal: "string",
  JSON: "unknown",
};

const config: CodegenConfig = {
  schema: "../schema.graphql",
  documents: "portal/*.graphql",
  generates: {
    "build/codegen/types.ts": {
      plugins: ["typescript", "typescript-operations"],
      config: {
        strictScalars: true,
        scalars,
        // The documents name operations as relay-compiler requires (`SkpSayaQuery`): keep
        // `SkpSayaQuery`, not `SkpSayaQueryQuery`.
        dedupeOperationSuffix: true,
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
    "build/codegen/client/": {
      preset: "client",
      // The preset names types and documents itself (`SkpSayaQueryDocument`, whose type is
      // `SkpSayaQueryQuery`: it has no dedupeOperationSuffix); the typed document carries them.
      config: { strictScalars: true, scalars, enumsAsTypes: true },
      presetConfig: { fragmentMasking: false },
    },
  },
};
export default config;

"""GraphQL for organisation and people: types, DataLoaders, queries, mutations."""

"""GraphQL for SKP planning: types, DataLoaders, queries, mutations."""

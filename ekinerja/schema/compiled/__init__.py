"""The compiled read path (issue 17, decision 0036): a root field of a query whose whole
selection the catalog can express is answered by one SQL statement that builds the field's JSON
inside PostgreSQL, instead of one resolver per field and a DataLoader round trip per level.

- catalog/: how each GraphQL type's fields map to SQL (columns, expressions, joins).
- planner.py: a root field's selection (fragments, aliases, @skip/@include resolved by
  graphql-core) → a plan, or None when any part is not in the catalog or the policy would
  refuse a field for the relation the plan proves; the field then runs on its resolvers.
- sql.py: a plan → one statement (`json_build_object` and correlated subqueries).
- execution.py: the graphql-core execution context that runs compiled root fields and hands
  the rest to the resolvers, in the same document.

The answer must equal the resolvers' answer, errors and nulls included
(tests/test_compiled_reads.py runs both on the same data).
"""

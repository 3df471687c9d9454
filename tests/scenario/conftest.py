"""The scenario tests' GraphQL client: an in-process app with the test identity provider."""

from tests.test_graphql_skp import api  # noqa: F401  (the fixture, shared)

"""The HTTP surface: the Starlette application, its middleware and endpoints."""

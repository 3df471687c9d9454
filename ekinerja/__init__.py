"""ekinerja: performance management for Indonesia's civil service (ASN) as one GraphQL API."""

from importlib import metadata

try:
    __version__ = metadata.version("ekinerja")  # pyproject.toml's, as installed
except metadata.PackageNotFoundError:  # run from a source tree that is not installed
    __version__ = "0+unknown"

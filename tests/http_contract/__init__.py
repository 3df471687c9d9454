"""The HTTP contract: every endpoint answers errors in one envelope and passes one pipeline
(decision 0031)."""

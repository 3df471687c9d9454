"""What an operator sees of a running process: Prometheus metrics (metrics.py) and optional
OpenTelemetry spans (tracing.py). docs/operations.md says what each means; decision 0040."""

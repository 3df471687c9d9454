"""Printing a benchmark's rows as the Markdown table docs/benchmarks.md keeps."""

from __future__ import annotations

import os
import platform


def print_table(header: tuple[str, ...], rows: list[str]) -> None:
    print(f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    print("\n".join(rows))

"""Demo data: a realistic kabupaten-like agency (Indonesian names, valid NIPs, a 5–6 level unit
tree, realistic spans of control), as rows in the pegawai import layout.

    rows = generate_demo_rows(pegawai=500, seed=1)   # deterministic for a seed
    await import_pegawai("DEMO", rows, actor="demo", source="demo seed=1")
"""

from ekinerja.kepegawaian.demo.generator import MIN_PEGAWAI, generate_demo_rows

__all__ = ["MIN_PEGAWAI", "generate_demo_rows"]

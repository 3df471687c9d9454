"""How GraphQL fields map to SQL, per type: what the planner may compile (decision 0036).

``CATALOG`` is the one mapping the planner reads: GraphQL type name → field name → how the
field is computed (spec.py says what an entry can be). Each domain module declares its types:

- kepegawaian.py: Pegawai, Penugasan, Jabatan, UnitKerja;
- skp.py: Skp, SnapshotOrang, Rhk, RencanaAksi, Indikator, CascadeNode;
- cakupan.py: the team page's CakupanCascade and CakupanBawahan;
- monitoring.py: the monitoring page's MonitoringBawahan and ProgresRhk;
- pelaksanaan.py: an SKP's execution in a window (PelaksanaanPeriode, ProgresHarian,
  RealisasiIndikator, BuktiDukung, UmpanBalik, TanggapanUmpanBalik) and its evaluation
  (EvaluasiPeriodik, RiwayatEvaluasi).

A type is declared in one module only.
"""

from __future__ import annotations

from ekinerja.schema.compiled.catalog import cakupan, kepegawaian, monitoring, pelaksanaan, skp
from ekinerja.schema.compiled.catalog.spec import (
    KODE,
    TODAY,
    Column,
    Listed,
    Many,
    One,
    Paged,
    Same,
)

Field = Column | One | Many | Listed | Same | Paged


def _merged(*modules) -> dict[str, dict[str, Field]]:
    catalog: dict[str, dict[str, Field]] = {}
    for module in modules:
        for type_name, fields in module.TYPES.items():
            if type_name in catalog:
                raise ValueError(f"{type_name} is declared twice in the catalog")
            catalog[type_name] = fields
    return catalog


CATALOG = _merged(kepegawaian, skp, cakupan, monitoring, pelaksanaan)

__all__ = [
    "CATALOG",
    "KODE",
    "TODAY",
    "Column",
    "Field",
    "Listed",
    "Many",
    "One",
    "Paged",
    "Same",
]

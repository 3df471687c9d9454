"""BKN's national view: each instansi's figures computed in its own schema (`statistik`),
copied into a read model in `shared` (`read_model`), and read across instansi from there
(`laporan`), audited in the central log (decision 0014)."""

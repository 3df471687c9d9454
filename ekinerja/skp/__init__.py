"""SKP (Sasaran Kinerja Pegawai): planning, the lifecycle, cascading, the SKP document."""

"""The pegawai and unit imports as background jobs of the admin instansi (decision 0022): the
jobs in the database (`jobs`), their reports (`laporan`), running them (`runner`) and the
worker's loop (`loop`). The HTTP side is ekinerja/http/kepegawaian_import.py."""

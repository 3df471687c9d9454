"""GET /evaluasi/{id}/dokumen.pdf: the evaluation document of one window (or the year), for
whoever may read the evaluated SKP; served exactly as the SKP document is (skp_document)."""

from __future__ import annotations

from ekinerja.auth.authentication import Authenticator
from ekinerja.http.skp_dokumen import SkpPdf, skp_pdf_endpoint
from ekinerja.models.tenant import EvaluasiPeriodik
from ekinerja.penilaian.dokumen import build_evaluation_document
from ekinerja.penilaian.dokumen_model import EvaluationDocument
from ekinerja.penilaian.dokumen_pdf import render_evaluation_pdf


def _filename(evaluasi: EvaluasiPeriodik, document: EvaluationDocument) -> str:
    return f"Evaluasi-{document.pegawai.nip or evaluasi.skp_id}-{evaluasi.periode}.pdf"


EVALUASI_DOCUMENT: SkpPdf[EvaluasiPeriodik, EvaluationDocument] = SkpPdf(
    noun="evaluasi",
    type_name="EvaluasiPeriodik",
    id_param="evaluasi_id",
    # The SKP comes with it: authorization needs its owner, the document its snapshots.
    find=lambda evaluasi_id: EvaluasiPeriodik.get_or_none(id=evaluasi_id).select_related("skp"),
    skp_of=lambda evaluasi: evaluasi.skp,
    build=build_evaluation_document,
    render=render_evaluation_pdf,
    filename=_filename,
)


def evaluasi_document_endpoint(authenticator: Authenticator):
    return skp_pdf_endpoint(authenticator, EVALUASI_DOCUMENT)

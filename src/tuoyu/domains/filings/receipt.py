"""The filing receipt (备案回执) and notice of basic conditions (基本条件告知书) as a PDF.

Rendered from an HTML template by WeasyPrint, which embeds the system's CJK font (Noto Sans CJK,
Debian package fonts-noto-cjk) so that the printout reads correctly on any machine.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from tuoyu.domains.filings.models import Filing, State
from tuoyu.domains.filings.selectors import readable_changes


class ReceiptUnavailable(Exception):
    pass


def receipt_html(filing: Filing, *, authority: str) -> str:
    if filing.state != State.ACCEPTED:
        raise ReceiptUnavailable("只有已通过的备案才有回执。")
    # Institution-wide findings only: the notice states conditions, not staff members' names.
    findings = [
        f
        for f in filing.findings
        if f.get("status") in ("pass", "fail", "unknown") and f.get("subject") == "institution"
    ]
    context = {
        "filing": filing,
        "authority": authority,
        "findings": findings,
        "changes": readable_changes(filing),
    }
    return render_to_string("filings/receipt.html", context)


def receipt_pdf(filing: Filing, *, authority: str) -> bytes:
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: the system's Pango library is missing
        raise ReceiptUnavailable(
            f"本服务器无法生成PDF（{error}）。请安装 Pango 与 fonts-noto-cjk。"
        ) from None
    return weasyprint.HTML(string=receipt_html(filing, authority=authority)).write_pdf()

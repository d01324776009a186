"""Uploaded scans: accepted only when their content is a PDF, JPEG or PNG within the size limit."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

_SIGNATURES = {
    b"%PDF-": ("pdf", "application/pdf"),
    b"\xff\xd8\xff": ("jpg", "image/jpeg"),
    b"\x89PNG\r\n\x1a\n": ("png", "image/png"),
}


class BadUpload(ValueError):
    """The file is refused; the message is Chinese."""


def read_scan(upload: UploadedFile) -> tuple[bytes, str, str]:
    """The file's bytes, extension and content type, checked by content (not by the name sent)."""
    limit = settings.TUOYU_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise BadUpload(
            f"文件过大（{upload.size / 1048576:.1f} MB），单个文件不能超过 {limit // 1048576} MB。"
        )
    content = upload.read()
    for signature, (extension, content_type) in _SIGNATURES.items():
        if content.startswith(signature):
            return content, extension, content_type
    raise BadUpload("只能上传 PDF、JPG 或 PNG 格式的扫描件。")

"""Real files of every kind the upload checker knows, made by the libraries that write them.

Used by the checker's own tests and by app tests that send attachments. Zip
bombs are built on top of the real documents: a padding entry of zeros that
compresses about a thousandfold.
"""

from __future__ import annotations

import functools
import io
import zipfile

MIB = 1024 * 1024


@functools.cache
def pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@functools.cache
def docx() -> bytes:
    import docx as python_docx

    document = python_docx.Document()
    document.add_paragraph("Draft recommendation on root zone oversight — مسودة توصية — 建议草案")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@functools.cache
def xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Stakeholder group", "Comments"])
    sheet.append(["Civil society", 12])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@functools.cache
def pptx() -> bytes:
    # python-pptx is not a dependency; a minimal package has the parts the checker reads.
    return zipped(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "_rels/.rels": b'<?xml version="1.0"?><Relationships/>',
            "ppt/presentation.xml": b'<?xml version="1.0"?><p:presentation/>',
        }
    )


def _odf(document) -> bytes:
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


@functools.cache
def odt() -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.text import P

    document = OpenDocumentText()
    document.text.addElement(P(text="Compte rendu de la session"))
    return _odf(document)


@functools.cache
def ods() -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table

    document = OpenDocumentSpreadsheet()
    document.spreadsheet.addElement(Table(name="Votes"))
    return _odf(document)


@functools.cache
def odp() -> bytes:
    from odf.draw import Page
    from odf.opendocument import OpenDocumentPresentation
    from odf.style import MasterPage, PageLayout

    document = OpenDocumentPresentation()
    layout = PageLayout(name="Layout")
    document.automaticstyles.addElement(layout)
    master = MasterPage(name="Default", pagelayoutname=layout)
    document.masterstyles.addElement(master)
    document.presentation.addElement(Page(name="Slide 1", masterpagename=master))
    return _odf(document)


def _image(format_name: str) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 90, 160)).save(buffer, format=format_name)
    return buffer.getvalue()


@functools.cache
def png() -> bytes:
    return _image("PNG")


@functools.cache
def jpeg() -> bytes:
    return _image("JPEG")


@functools.cache
def gif() -> bytes:
    return _image("GIF")


@functools.cache
def webp() -> bytes:
    return _image("WEBP")


def txt() -> bytes:
    return "Notes of the session.\nملاحظات الجلسة\n会议记录\n".encode()


# kind key -> (a file name as people send it, the bytes)
SAMPLES = {
    "pdf": ("report.pdf", pdf),
    "docx": ("draft.docx", docx),
    "xlsx": ("figures.xlsx", xlsx),
    "pptx": ("slides.pptx", pptx),
    "odt": ("minutes.odt", odt),
    "ods": ("votes.ods", ods),
    "odp": ("talk.odp", odp),
    "txt": ("notes.txt", txt),
    "png": ("chart.png", png),
    "jpeg": ("photo.jpg", jpeg),
    "gif": ("logo.gif", gif),
    "webp": ("banner.webp", webp),
}


def sample(key: str) -> tuple[str, bytes]:
    name, make = SAMPLES[key]
    return name, make()


def zipped(files: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in files.items():
            info = zipfile.ZipInfo(name)
            # An OpenDocument "mimetype" entry is stored, as the format requires.
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else compression
            archive.writestr(info, content)
    return buffer.getvalue()


def with_entries(document: bytes, extra: dict[str, bytes]) -> bytes:
    """A copy of a zip-based document with more entries (appended, order kept)."""
    source = zipfile.ZipFile(io.BytesIO(document))
    buffer = io.BytesIO()
    with source, zipfile.ZipFile(buffer, "w") as archive:
        for info in source.infolist():
            archive.writestr(info, source.read(info))
        for name, content in extra.items():
            archive.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buffer.getvalue()


@functools.cache
def zip_bomb(key: str, expands_to: int = 70 * MIB) -> bytes:
    """A real document of the kind ``key`` with a part of zeros that expands hugely."""
    _name, document = sample(key)
    return with_entries(document, {"media/padding.bin": bytes(expands_to)})

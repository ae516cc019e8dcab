"""Small PDFs built by the tests with pikepdf (no committed binaries).

``make_pdf(...)`` gives the bytes of a one- or several-page PDF with what a
test needs: text or an image-only scan, a structure tree, a language, a
title shown in the title bar, form fields with or without ``/TU``,
encryption that forbids assistive technologies.
"""

from __future__ import annotations

import io

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf, String


def make_pdf(*, pages: int = 1, text: bool = True, image: bool = False, tagged: bool = False, lang: str = "",
             title: str = "", display_title: bool = False, fields: list[tuple[str, str]] | None = None,
             encrypt_no_accessibility: bool = False, password: str = "") -> bytes:
    """``fields``: (name, accessible name or "") text fields on page 1."""
    pdf = Pdf.new()
    font = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))
    for n in range(pages):
        content = b""
        resources = Dictionary(Font=Dictionary(F1=font))
        if text:
            content += b"BT /F1 12 Tf 72 720 Td (Formulaire de demande page %d) Tj ET\n" % (n + 1)
        if image:
            img = pikepdf.Stream(pdf, b"\xff\x00\x00" * 4)
            img.Type, img.Subtype = Name.XObject, Name.Image
            img.Width, img.Height, img.BitsPerComponent, img.ColorSpace = 2, 2, 8, Name.DeviceRGB
            resources.XObject = Dictionary(Im1=img)
            content += b"q 400 0 0 600 100 100 cm /Im1 Do Q\n"
        page = pdf.add_blank_page(page_size=(612, 792))
        page.obj.Resources = resources
        page.obj.Contents = pdf.make_stream(content)
    if tagged:
        pdf.Root.StructTreeRoot = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array()))
        pdf.Root.MarkInfo = Dictionary(Marked=True)
    if lang:
        pdf.Root.Lang = String(lang)
    if title:
        pdf.docinfo.Title = String(title)
    if display_title:
        pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    if fields:
        page = pdf.pages[0]
        annots = Array()
        acro_fields = Array()
        for i, (name, tu) in enumerate(fields):
            w = Dictionary(Type=Name.Annot, Subtype=Name.Widget, FT=Name.Tx, T=String(name),
                           Rect=Array([72, 600 - 40 * i, 300, 620 - 40 * i]), P=page.obj)
            if tu:
                w.TU = String(tu)
            w = pdf.make_indirect(w)
            annots.append(w)
            acro_fields.append(w)
        page.obj.Annots = annots
        pdf.Root.AcroForm = Dictionary(Fields=acro_fields)
    out = io.BytesIO()
    if encrypt_no_accessibility or password:
        perms = pikepdf.Permissions(accessibility=not encrypt_no_accessibility, extract=not encrypt_no_accessibility)
        # R=3: the last revision whose accessibility bit readers still obey (qpdf sets it from R=4 on)
        pdf.save(out, encryption=pikepdf.Encryption(owner="proprietaire", user=password, R=3, aes=False,
                                                     metadata=False, allow=perms))
    else:
        pdf.save(out)
    return out.getvalue()


def accessible_pdf(**over: object) -> bytes:
    """A PDF that passes every check (fields named when any)."""
    opts: dict = dict(tagged=True, lang="fr-FR", title="Demande de carte", display_title=True)
    opts.update(over)
    return make_pdf(**opts)  # type: ignore[arg-type]

"""Hand-written .docx packages for tests: the markup real exports use and python-docx cannot write.

Imported by the ingest tests and the end-to-end batch test; every file is
synthetic and built in memory.
"""
from __future__ import annotations

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>')
_PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="{main}"/></Relationships>')
_DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/styles" Target="styles.xml"/></Relationships>')
_DEFAULT_STYLES = (
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="ModeratorText"><w:name w:val="Moderator text"/>'
    '<w:rPr><w:b/></w:rPr></w:style>')


def raw_docx_bytes(body_xml: str, styles_xml: str = _DEFAULT_STYLES, main: str = "word/document.xml",
                   namespace: str = W_NS) -> bytes:
    """A minimal .docx whose body is `body_xml` (WordprocessingML, prefix ``w``), written by hand.

    Real exports use markup python-docx cannot write: text boxes, content
    controls, tracked changes, markup-compatibility blocks. `main` moves the
    main part (found through the package relationships), `namespace` swaps in
    strict OOXML.
    """
    import io
    import zipfile

    namespaces = (f'xmlns:w="{namespace}" '
                  'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
                  'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
                  'xmlns:v="urn:schemas-microsoft-com:vml"')
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<w:document {namespaces}><w:body>{body_xml}<w:sectPr/></w:body></w:document>')
    styles = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              f'<w:styles xmlns:w="{namespace}">{styles_xml}</w:styles>')
    folder = main.rsplit("/", 1)[0]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _PACKAGE_RELS.format(main=main))
        archive.writestr(main, document)
        archive.writestr(f"{folder}/_rels/{main.rsplit('/', 1)[1]}.rels", _DOCUMENT_RELS)
        archive.writestr(f"{folder}/styles.xml", styles)
    return buffer.getvalue()


def para(*runs: str, style: str | None = None) -> str:
    """A ``w:p`` of plain runs; a run given as ``"<br/>"`` is a line break."""
    properties = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    body = "".join("<w:r><w:br/></w:r>" if run == "<br/>" else
                   f'<w:r><w:t xml:space="preserve">{run}</w:t></w:r>' for run in runs)
    return f"<w:p>{properties}{body}</w:p>"


def table(*rows: list[str]) -> str:
    """A ``w:tbl`` whose cells each hold one plain paragraph."""
    cells = ("".join(f"<w:tc>{para(cell)}</w:tc>" for cell in row) for row in rows)
    return "<w:tbl>" + "".join(f"<w:tr>{row}</w:tr>" for row in cells) + "</w:tbl>"

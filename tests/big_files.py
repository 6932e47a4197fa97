"""Workbooks written by hand for the row limit's tests and bench/row_limit.py: millions
of rows in a few hundred kilobytes, cells far down or far to the right (no Django)."""

import io
import zipfile

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    b'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    b'"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    b'"/xl/worksheets/%s" ContentType="application/vnd.openxmlformats-officedocument.'
    b'spreadsheetml.worksheet+xml"/></Types>'
)
PACKAGE_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
    b'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    b'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
    b'org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
    b'2006/relationships"><sheets><sheet name="Blad1" sheetId="1" r:id="rId7"/></sheets>'
    b"</workbook>"
)
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId7" Type="http://'
    b'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target='
    b'"worksheets/%s"/></Relationships>'
)
HEADER_ROW = b"".join(
    b'<c t="inlineStr"><is><t>%s</t></is></c>' % name
    for name in (b"Period", b"Ansvar", b"Konto", b"Belopp")
).join((b"<row>", b"</row>"))


# The same, as Excel writes it: every row and cell with its reference.
HEADER_ROW_AT_A1 = b"".join(
    b'<c r="%s1" t="inlineStr"><is><t>%s</t></is></c>' % (column, name)
    for column, name in zip(
        b"A B C D".split(), (b"Period", b"Ansvar", b"Konto", b"Belopp"), strict=True
    )
).join((b'<row r="1">', b"</row>"))


def workbook(*parts: bytes, sheet: bytes = b"sheet1.xml", prefix: bytes = b"") -> bytes:
    """An XLSX written by hand: the first sheet's <sheetData> holds `parts` (written one
    after the other into the zip, so that millions of rows never sit in memory)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES % sheet)
        archive.writestr("_rels/.rels", PACKAGE_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS % sheet)
        with archive.open(f"xl/worksheets/{sheet.decode()}", "w") as stream:
            namespace = b"xmlns:x" if prefix else b"xmlns"
            stream.write(
                b'<?xml version="1.0" encoding="UTF-8"?><%sworksheet %s="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main"><%ssheetData>'
                % (prefix, namespace, prefix)
            )
            for part in parts:
                stream.write(part)
            stream.write(b"</%ssheetData></%sworksheet>" % (prefix, prefix))
    return out.getvalue()


def rows_bomb(rows: int = 3_000_000) -> bytes:
    """A header and `rows` rows of one cell each, without references: 26 bytes a row
    that compress about 400-fold."""
    block = b"<row><c><v>1</v></c></row>" * 100_000
    blocks = [block] * (rows // 100_000)
    return workbook(HEADER_ROW, *blocks, b"<row><c><v>1</v></c></row>" * (rows % 100_000))

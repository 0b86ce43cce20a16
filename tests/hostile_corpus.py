"""The hostile inputs of issue 13, generated (small on disk, never committed).

``build(folder)`` writes every case of :data:`CASES` (file name → what it is,
what qudao must do); :func:`write_xlsx`, :func:`write_ods`, :func:`write_xls`
and :func:`write_register` build single files for other tests. ``python
tests/hostile_corpus.py OUT [--full]`` writes the corpus to a folder (``--full``:
the two CSVs at the sizes of the issue, 99 MB and 100 MB).
"""

from __future__ import annotations

import argparse
import io
import struct
import zipfile
from pathlib import Path

# name → (description, expectation for the guards: "refused" or "ok")
CASES: dict[str, tuple[str, str]] = {  # name → (what it is, "refused" by the guards or read "ok")
    "xfd_in_row1.xlsx": ("stray <c r=\"XFD1048576\"> with a value inside <row r=\"1\">", "refused"),
    "row_tab.xlsx": ("<row\\tr=…> / <c\\tr=…> spelling, last row 1,048,576 at XFD", "refused"),
    "date_minus_1e12.xlsx": ("-1e12 in a date-formatted cell (calamine PanicException)", "ok"),
    "repeated_cells.ods": ("an 800-byte .ods: a row repeated 6,000× with a value cell repeated 16,384× (98M cells, under calamine's own 100M cap)", "refused"),
    "iv65536.xls": ("a .xls with values at A1 and IV65536", "refused"),
    "newlines.csv": ("a CSV of nothing but line breaks", "refused"),
    "one_line.csv": ("one CSV line of 'a,' repeated", "refused"),
    "sheets_10000.xlsx": ("a workbook of 10,000 small sheets", "refused"),
    "merged_6000.xlsx": ("a register with 6,000 overlapping merged ranges A{5..104}:D{4405..4464}", "refused"),
    "bom_gb18030.csv": ("UTF-8 BOM followed by GB18030 text", "ok"),
    "amount_1e308.xlsx": ("register: two deals of 成交金额(万元) = 1e308 (the sum is inf)", "ok"),
    "control_chars.xlsx": ("register: U+FFFF, U+FFFE, C0 controls and _x0001_ in 客户姓名/联系电话/意向等级", "ok"),
    "long_cell.xlsx": ("register: a cell of 40,000 characters (Excel's limit is 32,767)", "ok"),
    "markup.xlsx": ("register: 渠道名称 雪域物业[/]; [link=…], [/] and ESC/BEL sequences in 联系电话/意向等级 (echoed in findings)", "ok"),
    # found while building the guards
    "sst_unique_count.xlsx": ("sharedStrings <sst uniqueCount=\"4000000000\">: calamine reserves 96 GB and aborts", "refused"),
    "ods_text_s.ods": ("one .ods cell with <text:s text:c=\"500000000\"/>: a 500 MB string from 1 KB", "refused"),
    "positional_far.xlsx": ("<row r=\"1\">: <c r=\"A1048576\"> then 16,383 cells without r (calamine places them at B1…XFD1: 1,048,576 × 16,384)", "refused"),
    "prefixed_far.xlsx": ("x: prefixed sheet XML with a far value at XFD1048576", "refused"),
    "far_empty_styled.xlsx": ("a small table and an empty styled cell <c r=\"XFD1048576\" s=\"1\"/> (calamine ignores it)", "ok"),
    "md_links.xlsx": ("register: ![x](http://…) and [点我](javascript:…) in 客户姓名 and 备注", "ok"),
}

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STYLES = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{MAIN}">'
          '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
          '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
          '<fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders>'
          '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
          '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
          '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>')


def _letters(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def sheet_xml(body: str, merges: list[str] | None = None, dim: str = "A1") -> str:
    m = ""
    if merges:
        m = f'<mergeCells count="{len(merges)}">' + "".join(f'<mergeCell ref="{x}"/>' for x in merges) + "</mergeCells>"
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}" xmlns:r="{RELNS}">'
            f'<dimension ref="{dim}"/><sheetData>{body}</sheetData>{m}</worksheet>')


def write_xlsx(path: Path, sheets: list[tuple[str, str]], shared: str | None = None, compress=zipfile.ZIP_DEFLATED) -> None:
    """sheets: (name, full sheet XML). shared: sharedStrings.xml text or None."""
    over = "".join(f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="application/'
                   'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(len(sheets)))
    if shared is not None:
        over += ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                 'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
    ct = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/'
          'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
          'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
          'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
          '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
          f'spreadsheetml.styles+xml"/>{over}</Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    wb = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN}" xmlns:r="{RELNS}"><sheets>'
          + "".join(f'<sheet name="{n}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, (n, _) in enumerate(sheets))
          + "</sheets></workbook>")
    n = len(sheets)
    wrels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/'
             'package/2006/relationships">'
             + "".join(f'<Relationship Id="rId{i + 1}" Type="{RELNS}/worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
                       for i in range(n))
             + f'<Relationship Id="rId{n + 1}" Type="{RELNS}/styles" Target="styles.xml"/>'
             + (f'<Relationship Id="rId{n + 2}" Type="{RELNS}/sharedStrings" Target="sharedStrings.xml"/>' if shared else "")
             + "</Relationships>")
    with zipfile.ZipFile(path, "w", compress) as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("_rels/.rels", rels)
        z.writestr("xl/workbook.xml", wb)
        z.writestr("xl/_rels/workbook.xml.rels", wrels)
        z.writestr("xl/styles.xml", STYLES)
        if shared is not None:
            z.writestr("xl/sharedStrings.xml", shared)
        for i, (_, xml) in enumerate(sheets):
            z.writestr(f"xl/worksheets/sheet{i + 1}.xml", xml)


def _small_table(rows: int = 5) -> str:
    out = ['<row r="1"><c r="A1" t="inlineStr"><is><t>渠道</t></is></c><c r="B1" t="inlineStr"><is><t>金额</t></is></c></row>']
    for r in range(2, rows + 1):
        out.append(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>雪域{r}</t></is></c><c r="B{r}"><v>{r * 10}</v></c></row>')
    return "".join(out)


# ---------------------------------------------------------------------------- register (qudao's kind)

REGISTER_HEADERS = ["序号", "登记日期", "客户姓名", "联系电话", "性别", "常住城市", "意向楼盘", "意向面积(㎡)", "预算(万元)",
                    "购房目的", "意向等级", "到访日期", "成交日期", "成交楼盘", "成交金额(万元)", "渠道名称", "渠道类型",
                    "所属分所", "跟进人", "备注"]


def write_register(path: Path, rows: list[list], channel: str = "雪域物业", raw: dict[str, str] | None = None,
                   merges: list[str] | None = None, far: str | None = None) -> None:
    """A register as qudao new writes it (title, block, header on row 4, _qudao sheet), with openpyxl.

    raw: placeholder → raw text put into sharedStrings.xml afterwards (characters openpyxl refuses)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "意向客户登记"
    ws.append(["意向客户登记表"])
    ws.append(["渠道名称：", channel, None, "渠道类型：", "物业", None, "所属分所：", "拉萨分所"])
    ws.append(["渠道联系人：", "张三", None, "联系电话：", "13800138000", None, "报送日期：", "2026-11-02"])
    ws.append(REGISTER_HEADERS)
    for row in rows:
        ws.append(row)
    if far:
        ws[far] = "x"
    meta = wb.create_sheet("_qudao")
    for k, v in (("kind", "register"), ("version", 1), ("title", "意向客户登记表"), ("generator", "qudao 0.1.0")):
        meta.append([k, v])
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    raw = dict(raw or {})
    if merges:  # written into the XML: openpyxl would join overlapping ranges
        raw["</sheetData>"] = ("</sheetData>" + f'<mergeCells count="{len(merges)}">'
                               + "".join(f'<mergeCell ref="{m}"/>' for m in merges) + "</mergeCells>")
    if raw:
        src = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for info in src.infolist():
                content = src.read(info)
                if info.filename in ("xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"):
                    text = content.decode("utf-8")
                    for k, v in raw.items():
                        text = text.replace(k, v)
                    content = text.encode("utf-8", "surrogatepass")
                z.writestr(info, content)
        data = out.getvalue()
    path.write_bytes(data)


def _reg_row(i: int, **over) -> list:
    row = [i, "2026-11-01", f"客户{i}", f"1380013{i:04d}", "男", "拉萨", "雪域花园", 90, 100, "自住", "A",
           None, None, None, None, None, None, None, "李四", None]
    for k, v in over.items():
        row[REGISTER_HEADERS.index(k)] = v
    return row


# ---------------------------------------------------------------------------- ods

ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def write_ods(path: Path, tables: list[tuple[str, str]]) -> None:
    body = "".join(f'<table:table table:name="{n}">{t}</table:table>' for n, t in tables)
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS} office:version="1.2">'
               f'<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                   'opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
                   'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
                   'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>',
                   zipfile.ZIP_DEFLATED)


# ---------------------------------------------------------------------------- xls


def cfb(stream: bytes, name: str = "Workbook", mini: bool = False) -> bytes:
    """A minimal compound file holding one stream (in the mini stream if mini)."""
    ss = 512
    ENDC, FREE, FATSECT = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    sectors: list[bytes] = []
    fat: list[int] = []

    def add_chain(data: bytes) -> int:
        if not data:
            return ENDC
        start = len(sectors)
        chunks = [data[i:i + ss].ljust(ss, b"\0") for i in range(0, len(data), ss)]
        for i, ch in enumerate(chunks):
            sectors.append(ch)
            fat.append(start + i + 1 if i + 1 < len(chunks) else ENDC)
        return start

    if mini:
        mchunks = [stream[i:i + 64].ljust(64, b"\0") for i in range(0, len(stream), 64)]
        ministream = b"".join(mchunks)
        minifat = [i + 1 if i + 1 < len(mchunks) else ENDC for i in range(len(mchunks))]
        root_start = add_chain(ministream)
        minifat_start = add_chain(struct.pack("<%dI" % len(minifat), *minifat))
        stream_start, root_size, n_minifat = 0, len(ministream), 1
    else:
        stream_start = add_chain(stream)
        root_start, root_size, minifat_start, n_minifat = ENDC, 0, ENDC, 0

    def entry(nm: str, typ: int, start: int, size: int, child: int = FREE) -> bytes:
        raw = nm.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBB", len(raw), typ, 1) + struct.pack("<III", FREE, FREE, child)
                + b"\0" * 16 + b"\0" * 4 + b"\0" * 16 + struct.pack("<IIII", start, size, 0, 0)[:12] + b"\0" * 0)[:128].ljust(128, b"\0")

    d = entry("Root Entry", 5, root_start, root_size, child=1) + entry(name, 2, stream_start, len(stream))
    dir_start = add_chain(d.ljust(ss, b"\0"))
    fat_sector_index = len(sectors)
    fat.append(FATSECT)
    sectors.append(b"")  # placeholder for the FAT sector
    fat_bytes = struct.pack("<%dI" % len(fat), *fat).ljust(ss, b"\xff")
    sectors[fat_sector_index] = fat_bytes
    difat = [fat_sector_index] + [FREE] * 108
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, 1, dir_start, 0, 4096, minifat_start, n_minifat, ENDC, 0)
              + struct.pack("<109I", *difat))
    return header + b"".join(sectors)


def _biff(sheet_cells: list[tuple[int, int]], dims=(0, 1, 0, 1), merges=0) -> bytes:
    def rec(t, body):
        return struct.pack("<HH", t, len(body)) + body

    bof_g = rec(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0))
    name = "表1".encode("utf-16-le")
    bs_len = 4 + 8 + len(name)
    glob_len = len(bof_g) + bs_len + 4
    sheet = rec(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0, 0, 0, 0))
    sheet += rec(0x0200, struct.pack("<IIHHH", dims[0], dims[1], dims[2], dims[3], 0))
    for r, c in sheet_cells:
        sheet += rec(0x0203, struct.pack("<HHHd", r, c, 15, 1.5))
    if merges:
        sheet += rec(0x00E5, struct.pack("<H", merges) + b"".join(struct.pack("<HHHH", i, i, 0, 1) for i in range(merges)))
    sheet += rec(0x000A, b"")
    boundsheet = rec(0x0085, struct.pack("<IBBBB", glob_len, 0, 0, 2, 1) + name)
    return bof_g + boundsheet + rec(0x000A, b"") + sheet



def biff(cells: list[tuple[int, int, float]], sheet: str = "Sheet1", dims: tuple[int, int, int, int] | None = None,
         merges: int = 0) -> bytes:
    """A minimal BIFF8 workbook stream (one sheet of NUMBER records) that python-calamine reads."""
    def rec(t, body):
        return struct.pack("<HH", t, len(body)) + body

    bof_g = rec(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0))
    name = sheet.encode("utf-16-le")
    bs_len = 4 + 8 + len(name)
    glob_len = len(bof_g) + bs_len + 4
    if dims is None:
        dims = (0, max(r for r, _, _ in cells) + 1, 0, max(c for _, c, _ in cells) + 1)
    body = rec(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0, 0, 0, 0))
    body += rec(0x0200, struct.pack("<IIHHH", dims[0], dims[1], dims[2], dims[3], 0))
    for r, c, v in cells:
        body += rec(0x0203, struct.pack("<HHHd", r, c, 15, v))
    if merges:
        body += rec(0x00E5, struct.pack("<H", merges) + b"".join(struct.pack("<HHHH", i, i, 0, 1) for i in range(merges)))
    body += rec(0x000A, b"")
    boundsheet = rec(0x0085, struct.pack("<IBBBB", glob_len, 0, 0, len(sheet), 1) + name)
    return bof_g + boundsheet + rec(0x000A, b"") + body


def write_xls(path: Path, cells: list[tuple[int, int, float]], sheet: str = "Sheet1", **kw) -> Path:
    stream = biff(cells, sheet, **kw)
    path.write_bytes(cfb(stream + b"\0" * max(0, 5000 - len(stream))))  # over 4 KB: a regular stream
    return path


# ---------------------------------------------------------------------------- big registers (within the limits)

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍红娟建国志梅丹玲卓玛次仁扎西央金"
PROPS = ("麓湖花园", "天府云城", "东安湖壹号", "青城山居", "锦江雅苑", "兴隆湖畔")
HEADER = ["序号", "登记日期", "客户姓名", "联系电话", "性别", "常住城市", "意向楼盘", "意向面积(㎡)", "预算(万元)", "购房目的",
          "意向等级", "到访日期", "成交日期", "成交楼盘", "成交金额(万元)", "跟进人", "备注"]


def big_register(path: Path, sheets: int, rows: int, seed: int = 190) -> Path:
    """One register workbook of ``sheets`` monthly sheets × ``rows`` rows, written as raw sheet XML (seconds, not
    minutes); every 100th phone is cut short (a finding to mark)."""
    if path.exists():
        return path
    import datetime as dt
    import random

    rng = random.Random(seed)
    base = dt.date(2026, 6, 1)
    epoch = dt.date(1899, 12, 30)

    def t(col: int, r: int, text: str) -> str:
        return f'<c r="{col_letter(col)}{r}" t="inlineStr"><is><t>{text}</t></is></c>'

    def n(col: int, r: int, value, style: int = 0) -> str:
        return f'<c r="{col_letter(col)}{r}"{f" s={chr(34)}{style}{chr(34)}" if style else ""}><v>{value}</v></c>'

    def col_letter(i: int) -> str:
        return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[i]

    xml_sheets = []
    for s in range(sheets):
        parts = ['<row r="1">' + t(0, 1, "意向客户登记表") + "</row>",
                 '<row r="2">' + t(0, 2, "渠道名称：") + t(1, 2, "雪域物业") + t(3, 2, "渠道类型：") + t(4, 2, "物业")
                 + t(6, 2, "所属分所：") + t(7, 2, "拉萨分所") + "</row>",
                 '<row r="3">' + t(0, 3, "报送日期：") + n(1, 3, (dt.date(2026, 11, 27) - epoch).days, 1) + "</row>",
                 '<row r="4">' + "".join(t(i, 4, h) for i, h in enumerate(HEADER)) + "</row>"]
        for r in range(rows):
            x = r + 5
            reg = base + dt.timedelta(days=rng.randrange(170))
            visit = reg + dt.timedelta(days=rng.randrange(1, 20)) if rng.random() < 0.3 else None
            deal = visit + dt.timedelta(days=rng.randrange(1, 10)) if visit and rng.random() < 0.3 else None
            phone = "1" + rng.choice("35789") + "".join(rng.choice("0123456789") for _ in range(9))
            cells = [n(0, x, r + 1), n(1, x, (reg - epoch).days, 1),
                     t(2, x, rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)),
                     t(3, x, phone if r % 100 else phone[:7]), t(4, x, rng.choice("男女")),
                     t(5, x, rng.choice(("拉萨", "成都", "绵阳"))), t(6, x, rng.choice(PROPS)),
                     n(7, x, round(rng.uniform(60, 220), 1)), n(8, x, round(rng.uniform(40, 400), 1)), t(9, x, "自住"),
                     t(10, x, rng.choice("ABCD"))]
            if visit:
                cells.append(n(11, x, (visit - epoch).days, 1))
            if deal:
                cells += [n(12, x, (deal - epoch).days, 1), t(13, x, rng.choice(PROPS)),
                          n(14, x, round(rng.uniform(60, 300), 2))]
            cells.append(t(15, x, "李强"))
            parts.append(f'<row r="{x}">' + "".join(cells) + "</row>")
        xml_sheets.append((f"{s + 9}月", sheet_xml("".join(parts))))
        del parts
    path.parent.mkdir(parents=True, exist_ok=True)
    write_xlsx(path, xml_sheets)
    return path


# ---------------------------------------------------------------------------- build


def build(out: Path, small: bool = True, newline_bytes: int | None = None, line_bytes: int | None = None,
          ) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    p = {name: out / name for name in CASES}

    write_xlsx(p["xfd_in_row1.xlsx"], [("Sheet1", sheet_xml(
        _small_table().replace('</row>', '<c r="XFD1048576"><v>1</v></c></row>', 1)))])

    body = _small_table().replace("<row r=", "<row\tr=").replace("<c r=", "<c\tr=")
    body += '<row\tr="1048576"><c\tr="XFD1048576"><v>1</v></c></row>'
    write_xlsx(p["row_tab.xlsx"], [("Sheet1", sheet_xml(body))])

    write_register(p["date_minus_1e12.xlsx"], [_reg_row(1), _reg_row(2)])
    _patch_date(p["date_minus_1e12.xlsx"])

    write_ods(p["repeated_cells.ods"], [("Sheet1",
        '<table:table-row table:number-rows-repeated="6000"><table:table-cell office:value-type="float" '
        'office:value="1" table:number-columns-repeated="16384"><text:p>1</text:p></table:table-cell></table:table-row>')])

    write_xls(p["iv65536.xls"], [(r, c, r * 10 + c) for r in range(6) for c in range(2)] + [(65535, 255, 1)])

    nl = newline_bytes if newline_bytes is not None else (1_500_000 if small else 99 * 1024 * 1024)
    with open(p["newlines.csv"], "wb") as fh:
        fh.write(b"a,b\n")
        block = b"\n" * (1 << 20)
        left = nl - 4
        while left > 0:
            fh.write(block[:left])
            left -= len(block)
    lb = line_bytes if line_bytes is not None else (2_000_000 if small else 100_000_000)
    with open(p["one_line.csv"], "wb") as fh:
        block = b"a," * (1 << 19)
        left = lb
        while left > 0:
            fh.write(block[:left])
            left -= len(block)

    tiny = sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>')
    write_xlsx(p["sheets_10000.xlsx"], [(f"S{i}", tiny) for i in range(10_000)])

    rows = [_reg_row(i) for i in range(1, 101)]
    merges = [f"A{5 + i % 100}:D{4405 + i // 100}" for i in range(6000)]  # 6,000 distinct, all overlapping
    write_register(p["merged_6000.xlsx"], rows, merges=merges, far="T4510")

    p["bom_gb18030.csv"].write_bytes(b"\xef\xbb\xbf" + "渠道名称,登记日期,客户姓名,联系电话,意向等级\n"
                                     "雪域物业,2026-11-03,张三,13800138000,A\n".encode("gb18030"))

    deal = {"到访日期": "2026-11-01", "成交日期": "2026-11-02", "成交楼盘": "雪域花园", "成交金额(万元)": 1e308}
    write_register(p["amount_1e308.xlsx"], [_reg_row(1, **deal), _reg_row(2, **deal)])  # the sum overflows to inf

    ctrl = {"@@FFFF@@": "a\uffffb", "@@FFFE@@": "c\ufffed", "@@C0@@": "e\x01\x02\x1bf\x7f", "@@X0001@@": "g_x0001_h",
            "@@MIX@@": "卓\uffff玛\x01\x1b[31m"}
    write_register(p["control_chars.xlsx"], [_reg_row(1, 客户姓名="@@FFFF@@", 联系电话="@@C0@@", 意向等级="@@FFFE@@"),
                                              _reg_row(2, 客户姓名="@@X0001@@", 联系电话="@@X0001@@"),
                                              _reg_row(3, 客户姓名="@@MIX@@", 备注="@@FFFE@@")], raw=ctrl)  # accepted

    write_register(p["long_cell.xlsx"], [_reg_row(1, 备注="@@LONG@@"), _reg_row(2)],
                   raw={"@@LONG@@": "长" * 40_000})  # openpyxl itself would cut the cell at 32,767

    esc = {"@@ESC@@": "\x1b[2J\x1b[31m红\x1b]0;title\x07\x1b[0m", "@@BEL@@": "响铃\x07\x07"}
    write_register(p["markup.xlsx"], [_reg_row(1, 客户姓名="[link=http://x]a[/link]", 联系电话="@@ESC@@",
                                              意向等级="[link=http://x]a[/link]"),
                                      _reg_row(2, 客户姓名="[bold red]粗[/]", 联系电话="@@BEL@@", 意向等级="[/]"),
                                      _reg_row(3, 客户姓名="[link=http://x]点我[/link]", 备注="@@ESC@@")],  # accepted
                   channel="雪域物业[/]", raw=esc)

    shared = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{MAIN}" count="1" '
              'uniqueCount="4000000000"><si><t>渠道</t></si></sst>')
    write_xlsx(p["sst_unique_count.xlsx"], [("Sheet1", sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'))],
               shared=shared)

    write_ods(p["ods_text_s.ods"], [("Sheet1", '<table:table-row><table:table-cell office:value-type="string">'
                                               '<text:p>a<text:s text:c="500000000"/>b</text:p></table:table-cell>'
                                               '</table:table-row>')])

    body = ('<row r="1"><c r="A1048576"><v>1</v></c>' + "<c><v>2</v></c>" * 16383 + "</row>")
    write_xlsx(p["positional_far.xlsx"], [("Sheet1", sheet_xml(body))])

    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<x:worksheet xmlns:x="{MAIN}">'
           '<x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>'
           '<x:row r="1048576"><x:c r="XFD1048576"><x:v>2</x:v></x:c></x:row></x:sheetData></x:worksheet>')
    write_xlsx(p["prefixed_far.xlsx"], [("Sheet1", xml)])

    body = _small_table().replace("</row>", '<c r="XFD1048576" s="1"/></row>', 1)
    write_xlsx(p["far_empty_styled.xlsx"], [("Sheet1", sheet_xml(body))])

    write_register(p["md_links.xlsx"], [_reg_row(1, 客户姓名="![x](http://evil.example/x.png)", 备注="[点我](javascript:alert(1))"),
                                        _reg_row(2, 备注="<b>粗</b> http://evil.example www.evil.example")])
    return p


def _patch_date(path: Path) -> None:
    """Put -1e12 with a date style into 登记日期 of the first data row (B5)."""
    src = zipfile.ZipFile(path)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                import re

                text = data.decode()
                # openpyxl writes B5 as a shared/inline string; replace the whole cell
                text = re.sub(r'<c r="B5"[^>]*?(?:/>|>.*?</c>)', '<c r="B5" s="@@S@@"><v>-1000000000000</v></c>', text, 1)
                data = text.encode()
            if info.filename == "xl/styles.xml":
                import re

                text = data.decode()
                m = re.search(r'<cellXfs count="(\d+)">', text)
                n = int(m.group(1))
                text = text.replace(m.group(0), f'<cellXfs count="{n + 1}">')
                text = text.replace("</cellXfs>", '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" '
                                    'applyNumberFormat="1"/></cellXfs>')
                data = text.encode()
                style_index = n
            z.writestr(info, data)
    data = out.getvalue()
    data = _replace_in_member(data, "xl/worksheets/sheet1.xml", "@@S@@", str(style_index))
    path.write_bytes(data)


def _replace_in_member(zip_bytes: bytes, member: str, old: str, new: str) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(zip_bytes))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == member:
                data = data.replace(old.encode(), new.encode())
            z.writestr(info, data)
    return out.getvalue()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--full", action="store_true", help="the two CSVs at the sizes of the issue (99 MB, 100 MB)")
    a = ap.parse_args()
    paths = build(Path(a.out), small=not a.full)
    for name, path in paths.items():
        print(f"{path.stat().st_size:>12,}  {name:24} {CASES[name][0]}")


if __name__ == "__main__":
    main()

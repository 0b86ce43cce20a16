"""Normalisers for what people really type: headers, dates, phones, numbers, enums.

Every parser takes a raw cell value as a reader returns it (str, int, float,
bool, date, datetime, time) and returns the typed value, or raises
:class:`BadValue` whose ``code`` and Chinese ``message`` become a finding.
They are pure and cheap; the reader builds one converter per column and
memoises the ones whose inputs repeat (dates, enums).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata

__all__ = [
    "BadValue",
    "fold",
    "header_key",
    "is_blank",
    "to_text",
    "parse_date",
    "parse_week",
    "parse_phone",
    "parse_number",
    "parse_money",
    "parse_int",
    "parse_percent",
    "match_enum",
    "mask_phone",
    "excel_serial_to_date",
]

_EXCEL_EPOCH = _dt.date(1899, 12, 30)
MIN_YEAR, MAX_YEAR = 1990, 2100
MAX_NUMBER = 1e12  # any number larger than this in a cell is a typo (a phone number, extra digits)


class BadValue(ValueError):
    """A cell value that cannot be normalised; carries the finding's code. ``impossible``: the value
    is well written but no such value exists (2026年13月45日, the year 1850) — not a format problem."""

    def __init__(self, code: str, message: str, impossible: bool = False):
        super().__init__(message)
        self.code = code
        self.message = message
        self.impossible = impossible


# --------------------------------------------------------------------------- text

_WS = re.compile(r"\s+")


def fold(value: str) -> str:
    """NFKC (full-width → half-width, ideographic space → space), trimmed."""
    if value.isascii():
        return value.strip()
    return unicodedata.normalize("NFKC", value).strip()


_TRAILING_UNIT = re.compile(r"[(\[【][^()\[\]【】]*[)\]】]$")
_MARKS = "*★☆※"  # required-column markers people put before or after a header: ``*客户姓名``


def name_key(name: str) -> str:
    """A name as an identity: width-folded, spaces collapsed (“雪域物业（拉萨）” = “雪域物业(拉萨)”)."""
    return " ".join((name if name.isascii() else unicodedata.normalize("NFKC", name)).split())


def header_key(value: object) -> str:
    """The comparable form of a header or label.

    Spaces anywhere, full-width forms, a trailing colon, required-column
    markers (``*``, ``★``) and a trailing unit in brackets are ignored: ``' 预算（万元） '`` → ``'预算'``, ``'渠道名称：'`` →
    ``'渠道名称'``. Latin letters are lower-cased.
    """
    if value is None:
        return ""
    text = fold(value if isinstance(value, str) else str(value))
    text = _WS.sub("", text).rstrip(":：").strip(_MARKS)
    while True:
        stripped = _TRAILING_UNIT.sub("", text)
        if stripped == text or not stripped:
            break
        text = stripped.strip(_MARKS)
    return text.lower()


_PHASE = re.compile(r"[(\[【]?(?:第)?[一二三四五六七八九十\d]+期(?:[a-z\d]*区)?[)\]】]?$")
_PUNCT = re.compile(r"[\s·•・\-_—–.,，、/()（）\[\]【】「」“”\"'']")


def property_key(name: object) -> str:
    """A 楼盘's identity for matching (registers against the sales ledger): width and case folded, spaces and
    punctuation dropped, a trailing phase (「二期」「（一期）」「3期B区」) and a trailing 项目/楼盘 dropped —
    ``麓湖花园（二期）`` = ``麓湖 花园`` = ``麓湖花园项目`` (docs/decisions.md → Evidence and 串货)."""
    text = fold(name if isinstance(name, str) else to_text(name)).lower()
    for _ in range(2):
        text = _PHASE.sub("", text.strip()) or text
        for suffix in ("项目", "楼盘"):
            if text.endswith(suffix) and len(text) > len(suffix) + 1:
                text = text[: -len(suffix)]
    return _PUNCT.sub("", text)


_HEADER_UNIT = re.compile(r"[(\[【]\s*(万元|万|元)\s*[)\]】]$")


def header_unit(value: object) -> str | None:
    """The money unit a header writes in brackets: ``成交总价(元)`` → ``元``, ``成交金额（万元）`` → ``万元``;
    None when it writes none (docs/decisions.md → Evidence and 串货: a unit written in the header wins)."""
    if not isinstance(value, str):
        return None
    m = _HEADER_UNIT.search(_WS.sub("", fold(value)).rstrip(":：").strip(_MARKS))
    if not m:
        return None
    return "元" if m[1] == "元" else "万元"


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, float):
        return math.isnan(value)
    return False


def to_text(value: object) -> str:
    """A cell as text: integral floats lose their ``.0``; dates are ISO."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, _dt.datetime):
        if value.time() == _dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value).strip()


# --------------------------------------------------------------------------- dates

_DATE_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DATE_MD = re.compile(r"^(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")
_DATE_SERIAL = re.compile(r"^\d{5}(\.0+)?$")
_TIME_TAIL = re.compile(r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$")
_WEEKDAY_TAIL = re.compile(r"\s*[(（]?\s*(?:周|星期|礼拜)([一二三四五六日天])\s*[)）]?$")
_WEEKDAYS_CN = "一二三四五六日"

_DATE_HELP = "应为日期，如 2026-11-03、2026/11/3、2026年11月3日"


def excel_serial_to_date(serial: float) -> _dt.date:
    if not (1 <= serial < 2958466):
        raise BadValue("value.type", _DATE_HELP)
    return _EXCEL_EPOCH + _dt.timedelta(days=int(serial))


def _checked(year: int, month: int, day: int) -> _dt.date:
    try:
        result = _dt.date(year, month, day)
    except ValueError:
        raise BadValue("value.type", f"不是有效的日期（{year}年{month}月{day}日不存在）", impossible=True) from None
    if not (MIN_YEAR <= year <= MAX_YEAR):
        raise BadValue("value.range", f"日期不合理（{result.isoformat()}），请核对年份", impossible=True)
    return result


def parse_date(value: object, year_hint: int | None = None) -> tuple[_dt.date, bool]:
    """Return ``(date, year_inferred)``.

    Accepts real dates, Excel serial numbers, ``20261103`` (number or text),
    ``2026-11-03``, ``2026/11/3``, ``2026.11.3``, ``2026年11月3日`` / ``3号``
    (with an optional time after it), and ``11月3日`` — the year then comes
    from ``year_hint`` and the second item is ``True``. ``11/3`` stays an
    error: without the 月 people also write day/month.
    """
    if isinstance(value, _dt.datetime):
        return _checked(value.year, value.month, value.day), False
    if isinstance(value, _dt.date):
        return _checked(value.year, value.month, value.day), False
    if isinstance(value, bool) or isinstance(value, _dt.time):
        raise BadValue("value.type", _DATE_HELP)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (math.isnan(value) or not value.is_integer()):
            if not math.isnan(value) and 1 <= value < 2958466:
                d = excel_serial_to_date(value)
                return _checked(d.year, d.month, d.day), False
            raise BadValue("value.type", _DATE_HELP)
        number = int(value)
        if 19000101 <= number <= 29991231:
            return _checked(number // 10000, number // 100 % 100, number % 100), False
        d = excel_serial_to_date(number)
        return _checked(d.year, d.month, d.day), False
    text = fold(str(value))
    weekday = _WEEKDAY_TAIL.search(text)  # 2026/11/27 周五, 2026-11-27（星期五）
    if weekday:
        text = text[:weekday.start()]
        day, inferred = parse_date(text, year_hint)
        wanted = _WEEKDAYS_CN.index(weekday[1].replace("天", "日"))
        if day.weekday() != wanted:
            raise BadValue("value.type", f"日期与星期不符：{day.isoformat()} 是星期{_WEEKDAYS_CN[day.weekday()]}，"
                                         f"不是星期{weekday[1]}")
        return day, inferred
    text = _TIME_TAIL.sub("", text).strip()
    m = _DATE_YMD.match(text)
    if m:
        return _checked(int(m[1]), int(m[2]), int(m[3])), False
    m = _DATE_COMPACT.match(text)
    if m:
        return _checked(int(m[1]), int(m[2]), int(m[3])), False
    m = _DATE_MD.match(text)
    if m:
        if year_hint is None:
            raise BadValue("value.type", "日期缺少年份，且表头没有可参考的日期，请写完整日期，如 2026-11-03")
        return _checked(year_hint, int(m[1]), int(m[2])), True
    if _DATE_SERIAL.match(text):
        d = excel_serial_to_date(float(text))
        return _checked(d.year, d.month, d.day), False
    raise BadValue("value.type", _DATE_HELP)


_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$")
_WEEK_CN = re.compile(r"^(\d{4})年第?(\d{1,2})周$")
WEEK_HELP = "应为周次，如 2026-W48"


def parse_week(value: object) -> str:
    """An ISO week → its label ``'2026-W48'``. Spellings (docs/decisions.md → Types): ``2026-W48``,
    ``2026W48``, ``2026-w48``, ``2026 - W 48``, ``2026年第48周``, ``2026年48周``. The year is 1990–2100 and
    the week must exist (2026-W53 does, 2025-W53 does not): one rule for cells and ``--week``."""
    text = _WS.sub("", fold(to_text(value))).upper()
    m = _WEEK.match(text) or _WEEK_CN.match(text)
    if not m:
        raise BadValue("value.type", WEEK_HELP)
    year, week = int(m[1]), int(m[2])
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise BadValue("value.range", f"年份应在 {MIN_YEAR}–{MAX_YEAR} 之间", impossible=True)
    if not 1 <= week <= _dt.date(year, 12, 28).isocalendar()[1]:  # 28 December is always in the year's last week
        raise BadValue("value.type", f"{year} 年没有第 {week} 周", impossible=True)
    return f"{year}-W{week:02d}"


def place_year(day: _dt.date, ref: _dt.date, forward: bool = False) -> _dt.date:
    """The year of a date written without one, against the file's date ``ref``: a past column (登记,
    到访 …) takes the latest such date not after ``ref``; a forward column (下次跟进, 到期 …) the
    occurrence nearest to ``ref`` (ties: the later)."""
    options = []
    for year in (ref.year - 1, ref.year, ref.year + 1):
        try:
            options.append(day.replace(year=year))
        except ValueError:  # 2月29日 in a year without it
            continue
    if not options:
        return day
    if forward:
        return min(options, key=lambda d: (abs((d - ref).days), -d.toordinal()))
    past = [d for d in options if d <= ref]
    return max(past) if past else min(options)


# --------------------------------------------------------------------------- bank accounts

_ACCOUNT_STRIP = re.compile(r"[\s\-]")
ACCOUNT_DIGITS = (8, 32)  # a bank account is 8–32 digits (spaces and dashes between them are ignored)
_ACCOUNT = re.compile(r"^\d{%d,%d}$" % ACCOUNT_DIGITS)
_SCIENTIFIC = re.compile(r"^[+]?\d+(\.\d+)?[eE][+]?\d+$")
_INTEGRAL_FLOAT = re.compile(r"^[+]?\d+\.0+$")
ACCOUNT_LOST = ("是以数字保存的，Excel 只保留 15 位有效数字，后面的位数已经丢失：请把单元格设为文本格式，"
                "再照银行卡或开户许可证重新填写完整账号")
ACCOUNT_HELP = "应为 %d–%d 位数字的银行账号（可含空格或短横线），如 6222 0212 3456 7890 123" % ACCOUNT_DIGITS


def parse_account(value: object) -> str:
    """A bank account number as its digits (``'6222 0212-3456'`` → ``'622202123456'``).

    An account typed as a number keeps its digits only below 10^15: Excel keeps 15 significant
    digits, so a longer number (or its ``6.22202E+18`` text form) has lost digits and is refused.
    """
    if isinstance(value, bool):
        raise BadValue("value.type", ACCOUNT_HELP)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (math.isnan(value) or math.isinf(value) or not value.is_integer()):
            raise BadValue("value.type", ACCOUNT_HELP)
        if abs(value) >= 10 ** 15:
            raise BadValue("value.type", ACCOUNT_LOST)
        text = str(int(value))
    else:
        text = _ACCOUNT_STRIP.sub("", fold(str(value)))
        if _SCIENTIFIC.match(text):
            raise BadValue("value.type", ACCOUNT_LOST)
        if _INTEGRAL_FLOAT.match(text):  # a number cell exported as text: 622202123456789.0
            digits = text.split(".")[0]
            if len(digits.lstrip("+")) > 15:
                raise BadValue("value.type", ACCOUNT_LOST)
            text = digits.lstrip("+")
    if not _ACCOUNT.match(text):
        raise BadValue("value.type", ACCOUNT_HELP)
    return text


def group_account(account: str) -> str:
    """An account number as banks print it, in groups of four digits."""
    return " ".join(account[i:i + 4] for i in range(0, len(account), 4))


# --------------------------------------------------------------------------- phones

_PHONE_STRIP = re.compile(r"[\s\-()（）.·—_/]")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_MASKED = re.compile(r"^(1\d{2})[*xX]{4}(\d{4})$")
_FLOATISH = re.compile(r"^[+]?\d+(\.\d+)?([eE][+]?\d+)?$")
PHONE_HELP = "联系电话应为11位手机号（或前三后四隐号，如138****5678）"


def parse_phone(value: object) -> tuple[str, bool]:
    """Return ``(phone, masked)``: ``'13812345678'`` or ``'138****5678'``.

    Numbers (``13812345678``, ``13812345678.0``, ``1.3812345678E10``), spaces,
    dashes, a ``+86``/``86``/``0086`` prefix and full-width digits are all
    accepted.
    """
    if isinstance(value, bool):
        raise BadValue("phone.format", PHONE_HELP)
    if isinstance(value, float):
        if math.isnan(value) or not value.is_integer():
            raise BadValue("phone.format", PHONE_HELP)
        text = str(int(value))
    elif isinstance(value, int):
        text = str(value)
    else:
        text = fold(str(value)).replace("＊", "*")
        compact = text.replace(" ", "")
        if ("." in compact or "e" in compact.lower()) and _FLOATISH.match(compact):
            number = float(compact)
            text = str(int(number)) if number.is_integer() else text
    text = _PHONE_STRIP.sub("", text)
    if text.startswith("+"):
        text = text[1:]
    if len(text) == 15 and text.startswith("0086"):
        text = text[4:]
    elif len(text) == 13 and text.startswith("86"):
        text = text[2:]
    elif len(text) == 12 and text.startswith("0") and text[1] == "1":
        text = text[1:]
    if _MOBILE.match(text):
        return text, False
    m = _MASKED.match(text)
    if m:
        return f"{m[1]}****{m[2]}", True
    raise BadValue("phone.format", PHONE_HELP)


def mask_phone(phone: str) -> str:
    """前三后四: ``13812345678`` → ``138****5678`` (already-masked phones unchanged)."""
    if len(phone) == 11 and phone.isdigit():
        return f"{phone[:3]}****{phone[7:]}"
    return phone


def shown_phone(phone, show: bool):
    """A phone as outputs show it: whole with ``--show-phones``, else :func:`mask_phone`; no phone stays none."""
    return phone if show or not phone else mask_phone(phone)


# --------------------------------------------------------------------------- numbers

_NUM_STRIP = re.compile(r"[,\s，¥]|整$")  # ￥ folds to ¥
_UNITS = ("万元", "万", "元", "平方米", "平米", "平", "m2", "㎡", "人", "套", "天", "个", "次", "家")
_WAN_ABBREV = re.compile(r"^([\d.]+)[wW]$")  # 150w = 150万


def parse_number(value: object) -> float:
    if isinstance(value, bool):
        raise BadValue("value.type", "应为数字")
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, (_dt.date, _dt.time, _dt.timedelta)):
        raise BadValue("value.type", "应为数字，不是日期")
    else:
        text = _NUM_STRIP.sub("", fold(str(value)))
        for unit in _UNITS:
            if text.endswith(unit) and len(text) > len(unit):
                text = text[: -len(unit)]
                break
        try:
            number = float(text)
        except ValueError:
            raise BadValue("value.type", "应为数字") from None
    if math.isnan(number) or math.isinf(number):
        raise BadValue("value.type", "应为数字")
    if abs(number) > MAX_NUMBER:
        raise BadValue("value.range", "数值过大（超过一万亿），请核对是否误填了电话号码或多打了位数")
    return number + 0.0  # −0 is 0 (never shown as -0.00)


def parse_money(value: object, wan: bool = True) -> float:
    """An amount in the column's unit — 万元 (``wan``) or 元. A written unit wins over the
    column's: in a 万元 column ``1,500,000元`` is 150 and ``150w`` is 150; in a 元 column
    ``1.5万`` is 15000. Plain numbers are taken as written."""
    if isinstance(value, str):
        text = _NUM_STRIP.sub("", fold(value))
        m = _WAN_ABBREV.match(text)
        if m or text.endswith(("万元", "万")):
            number = parse_number(m[1] if m else text)
            return number if wan else round(number * 10000, 6)
        if text.endswith("元"):
            number = parse_number(text)
            return round(number / 10000, 6) if wan else number
    return parse_number(value)


def parse_int(value: object) -> int:
    number = parse_number(value)
    if not number.is_integer():
        raise BadValue("value.type", "应为整数")
    return int(number)


def parse_percent(value: object) -> float:
    """A percentage 0–100. ``'35%'`` → 35.0; plain numbers are taken as written."""
    if isinstance(value, str) and fold(value).endswith("%"):
        return parse_number(fold(value)[:-1])
    return parse_number(value)


# --------------------------------------------------------------------------- enums

_ENUM_SUFFIXES = ("级", "类", "性")


def match_enum(value: object, allowed: tuple[str, ...], synonyms: dict[str, str] | None = None) -> str:
    """The allowed value ``value`` means, folding width, case, a ``级`` suffix and a
    trailing annotation in brackets (``A(热)``)."""
    text = _WS.sub("", fold(to_text(value)))
    if text in allowed:
        return text
    lowered = {a.lower(): a for a in allowed}
    key = text.lower()
    if key in lowered:
        return lowered[key]
    if synonyms and key in synonyms:
        return synonyms[key]
    for suffix in _ENUM_SUFFIXES:
        if key.endswith(suffix) and key[: -len(suffix)] in lowered:
            return lowered[key[: -len(suffix)]]
    bare = _TRAILING_UNIT.sub("", key)  # an annotation in brackets: A(热), 自住（首套）
    if bare != key and bare:
        return match_enum(bare, allowed, synonyms)
    raise BadValue("value.enum", "应为以下之一：" + "、".join(allowed))

"""渠道目标表 — each channel's targets per assessment period, and each branch's new-channel target (issue 16)."""

from __future__ import annotations

from qudao.schema.model import Column, Field, Kind, Table

SHEET, DEV_SHEET = "渠道目标", "拓展目标"
PERIOD_HINT = "2026Q4（季度）、2026H2（半年）或 2026（全年）"

# indicator key → (target column, actual label): the quantitative indicators of the assessment, in order
INDICATORS = (
    ("registrations", "登记目标", "登记数"),
    ("visits", "到访目标", "到访"),
    ("deals", "成交套数目标", "成交套数"),
    ("deal_amount", "成交金额目标(万元)", "成交金额(万元)"),
)
DEV_TARGET = "新拓展渠道目标"
MAX_COUNT, MAX_AMOUNT = 100_000, 10_000_000  # a target above these is a typing slip (value.range)

BLOCK = (
    Field("编制部门", example="渠道管理部"),
    Field("填表人", example="李强"),
    Field("填表日期", type="date", aliases=("编制日期",), hint="目标下达的日期", example="2026-10-08"),
)


def period_column(width: float = 10) -> Column:
    return Column("考核期间", "period", required=True, aliases=("考核周期", "考核期", "期间"), width=width,
                  hint=PERIOD_HINT, example="2026Q4")


COLUMNS = (
    Column("序号", "int", seq=True, width=6),
    period_column(),
    Column("渠道名称", "text", required=True, width=24, hint="与登记表、协议台账中的渠道名称一致",
           example="拉萨布达拉物业服务有限公司"),
    Column("所属分所", "text", aliases=("分所",), width=10, hint="留空按登记表中的分所", example="拉萨分所"),
    Column("登记目标", "int", min=0, max=MAX_COUNT, aliases=("登记数目标", "目标登记数", "登记客户目标"), width=9,
           hint="本期登记的意向客户数；留空或 0 表示不考核此项", example="30"),
    Column("到访目标", "int", min=0, max=MAX_COUNT, aliases=("到访数目标", "目标到访数"), width=9, hint="本期到访客户数", example="12"),
    Column("成交套数目标", "int", min=0, max=MAX_COUNT, aliases=("成交目标", "成交数目标", "目标成交套数"), width=11,
           hint="本期成交套数", example="3"),
    Column("成交金额目标(万元)", "money", min=0, max=MAX_AMOUNT, aliases=("成交金额目标", "目标成交金额"), width=14,
           hint="本期成交金额，单位万元", example="450"),
    Column("备注", "text", width=18),
)

DEV_COLUMNS = (
    Column("序号", "int", seq=True, width=6),
    period_column(),
    Column("所属分所", "text", required=True, aliases=("分所",), width=12, example="拉萨分所"),
    Column(DEV_TARGET, "int", required=True, min=0, max=MAX_COUNT, aliases=("拓展目标", "新签渠道目标", "新拓展渠道数目标", "新渠道目标"),
           width=14, hint="本期新签合作协议的渠道数（按渠道拓展表的协议签订日期统计）", example="2"),
    Column("备注", "text", width=24),
)

KIND = Kind(
    id="targets",
    title="渠道目标表",
    version=1,
    names=("目标表", "考核目标"),
    description="每个渠道每个考核期间（季度、半年、全年）的登记、到访、成交套数和成交金额目标，以及各分所的新渠道拓展目标。",
    tables=(
        Table(sheet=SHEET, columns=COLUMNS, block=BLOCK, title="渠道目标表", blank_rows=100),
        Table(sheet=DEV_SHEET, columns=DEV_COLUMNS, title="分所新渠道拓展目标", blank_rows=30),
    ),
    notes=(
        f"考核期间写成 {PERIOD_HINT}；同一渠道同一期间只填一行。",
        "留空或填 0 的目标不参与考核；没有目标的渠道只按定性评分考核，不会按零目标计分。",
        "季度目标之和不应超过所在半年、全年的目标。",
        "用 qudao assess 收件箱/ --period 2026Q4 生成考核结果。",
    ),
    dated_by=("填表日期",),
)

"""渠道考核评分表 — managers' qualitative scores per channel and assessment period (issue 16)."""

from __future__ import annotations

from qudao.schema.model import Column, Field, Kind, Table
from qudao.schema.targets import period_column

SHEET = "考核评分"

# item key → column: the qualitative items, each scored 1–5 (5 优秀 … 1 很差)
ITEMS = (
    ("service", "服务质量/满意度"),
    ("market", "市场开发"),
    ("cooperation", "配合度"),
    ("training", "培训参与"),
)
SCALE = ((5, "优秀"), (4, "良好"), (3, "合格"), (2, "较差"), (1, "很差"))
SCALE_HINT = "1–5 分：" + "，".join(f"{n} {name}" for n, name in SCALE)

BLOCK = (
    Field("评分部门", example="渠道管理部"),
    Field("填表日期", type="date", aliases=("评分日期",), example="2027-01-06"),
)

ITEM_HINTS = {
    "服务质量/满意度": "客户和我方对其服务的满意程度",
    "市场开发": "主动拓客、组织活动、带来新客户的力度",
    "配合度": "报备规范、资料及时、配合案场和结算",
    "培训参与": "参加我方产品和销售培训的情况",
}
ITEM_ALIASES = {
    "服务质量/满意度": ("服务质量", "满意度", "服务满意度", "服务质量满意度", "服务质量及满意度"),
    "市场开发": ("市场开发能力", "市场拓展"),
    "配合度": ("配合程度", "配合情况"),
    "培训参与": ("培训参与度", "培训情况", "参加培训"),
}

COLUMNS = (
    Column("序号", "int", seq=True, width=6),
    period_column(),
    Column("渠道名称", "text", required=True, width=24, hint="与登记表、协议台账中的渠道名称一致",
           example="拉萨布达拉物业服务有限公司"),
    Column("所属分所", "text", aliases=("分所",), width=10, example="拉萨分所"),
    *(Column(header, "int", required=True, min=1, max=5, aliases=ITEM_ALIASES[header], width=10,
             hint=f"{ITEM_HINTS[header]}；{SCALE_HINT}", example="4") for _key, header in ITEMS),
    Column("评语", "text", aliases=("考核评语", "评价", "说明"), width=30, example="报备及时，活动组织积极"),
    Column("评分人", "text", required=True, aliases=("打分人", "考核人"), width=9, example="李强"),
    Column("评分日期", "date", width=12, example="2027-01-06"),
)

KIND = Kind(
    id="scores",
    title="渠道考核评分表",
    version=1,
    names=("评分表", "考核评分"),
    description="管理人员对每个渠道每个考核期间的定性评分：服务质量/满意度、市场开发、配合度、培训参与（各 1–5 分），附评语和评分人。",
    tables=(Table(sheet=SHEET, columns=COLUMNS, block=BLOCK, title="渠道考核评分表", blank_rows=100),),
    notes=(
        f"四项评分都用 {SCALE_HINT}；定性得分 = 四项加权平均 × 20（满分 100，全部 3 分为 60 分，即合格线）。",
        "同一渠道同一考核期间只评一行；考核期间写成 2026Q4、2026H2 或 2026。",
        "用 qudao assess 收件箱/ --period 2026Q4 生成考核结果。",
    ),
    dated_by=("填表日期",),
)

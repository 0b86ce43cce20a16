"""案场成交台账 — the sales office's own record of deals (tools.md §17; issue 24).

What a sales system (明源, 云客 and the like) exports, as it exports it: a title row, perhaps an export
date, the deals one per row — often a house and its parking space as two rows — amounts in 元 or 万元,
masked phones beside the names. Where a ledger is in the inbox it is the evidence for the registers'
deals (qudao.analysis.evidence; docs/decisions.md → Evidence and 串货).

楼盘 is needed on every row (check.sales.property_known): the row's, else the header block's — an export of
one project often names it only in its title block.

Amounts: the header's unit wins (成交总价(元) → 元); a header without one is read in 万元 unless every
amount of the column is at least 10,000 — no deal is 1 亿 万元, every deal is more than 1 万元 — when the
column is taken as 元 and an info finding says so (check.sales.amount_unit).
"""

from __future__ import annotations

from qudao.schema.model import Column, Field, Kind, Table

STATES = ("认购", "签约", "退房")
CANCELLED = "退房"
STATE_SYNONYMS = {
    "已认购": "认购", "小订": "认购", "大定": "认购", "大订": "认购", "定金": "认购", "已下定": "认购", "认筹": "认购",
    "已签约": "签约", "网签": "签约", "已网签": "签约", "草签": "签约", "备案": "签约", "已备案": "签约",
    "已退房": "退房", "退订": "退房", "已退订": "退房", "退定": "退房", "作废": "退房", "已作废": "退房",
    "撤销": "退房", "已撤销": "退房", "换房": "退房", "已换房": "退房", "退款": "退房", "已退款": "退房",
}

BLOCK = (
    Field("楼盘", aliases=("项目", "项目名称", "楼盘名称"), hint="本台账的楼盘（表中每行也有楼盘列）", example="麓湖花园"),
    Field("导出日期", type="date", aliases=("导出时间", "统计日期", "截止日期", "报表日期", "制表日期", "统计截止日期"),
          hint="从销售系统导出的日期", example="2026-11-27"),
    Field("制表人", aliases=("导出人",), example="案场秘书"),
)

AMOUNT = "成交金额(万元)"

COLUMNS = (
    Column("序号", "int", seq=True, width=6),
    Column("楼盘", "text", aliases=("项目", "项目名称", "楼盘名称", "所属项目", "案场", "成交楼盘", "成交项目"),
           width=14, hint="成交的楼盘（与登记表的成交楼盘对应；不同写法在 qudao.toml 的 [properties] aliases 中写明）",
           example="麓湖花园"),
    Column("房号", "text", aliases=("房间号", "房间", "房源", "房号信息", "房间编号", "认购房间", "房屋", "房间信息", "房源编号"),
           width=14, example="3-2-1502"),
    Column("客户姓名", "text", required=True, aliases=("客户名称", "客户", "姓名", "业主姓名", "认购人", "购房人", "客户名",
                                                   "买受人", "业主"), width=10, example="张三"),
    Column("联系电话", "phone", aliases=("手机号码", "手机号", "电话", "联系方式", "客户电话", "手机", "移动电话", "联系手机",
                                       "电话号码", "客户手机"),
           width=15, hint="11位手机号；隐号（前三后四，如 138****5678）须同时有客户姓名", example="13812345678"),
    Column("首次到访日期", "date", aliases=("首访日期", "首次来访日期", "首访时间", "首次到访时间", "首次来访时间", "到访日期",
                                         "来访日期", "到访时间", "来访时间"), future_check=True, width=12,
           hint="案场记录的客户第一次到访日期", example="2026-11-10"),
    Column("认购日期", "date", aliases=("认购时间", "认购日", "订购日期", "下定日期", "成交日期", "成交时间"), future_check=True,
           width=12, hint="认购（成交）日期", example="2026-11-20"),
    Column("签约日期", "date", aliases=("签约时间", "网签日期", "网签时间", "合同签订日期", "签约日", "合同日期"),
           not_before="认购日期", future_check=True, width=12, hint="签订合同的日期，不早于认购日期", example="2026-11-28"),
    Column(AMOUNT, "money", aliases=("成交金额", "成交总价", "成交价", "认购总价", "合同总价", "签约金额", "房款总额", "总价",
                                     "成交总额", "合同金额", "认购金额", "签约总价", "房屋总价", "成交额"),
           min=0, min_exclusive=True, width=13,
           hint="单位万元；表头写明“(元)”时按元换算；未写单位且整列都不小于 10000 时按元换算", example="180.5"),
    Column("置业顾问", "text", aliases=("销售顾问", "顾问", "置业顾问姓名", "销售员", "销售人员"), width=9, example="刘洋"),
    Column("来源渠道", "text", aliases=("渠道", "渠道名称", "来源", "客户来源", "成交渠道", "报备渠道", "渠道来源", "来访渠道"),
           width=18, hint="案场记录的客户来源（如实抄录，不用于归属）", example="拉萨雪域物业"),
    Column("交易状态", "enum", enum=STATES, synonyms=STATE_SYNONYMS, aliases=("状态", "成交状态", "单据状态", "订单状态"),
           width=8, hint="认购/签约/退房；退房的行不算成交", example="签约"),
    Column("备注", "text", width=20),
)

KIND = Kind(
    id="sales",
    title="案场成交台账",
    names=("成交台账", "案场台账", "案场成交表"),
    version=1,
    description="案场（售楼处）销售系统导出的成交记录：渠道报送的成交以它为准",
    tables=(Table(sheet="成交台账", columns=COLUMNS, block=BLOCK, title="案场成交台账"),),
    notes=(
        "由案场从销售系统（明源、云客等）导出后原样放进收件箱即可，不需要改表头；没有销售系统的团队可用本模板手工登记。",
        "客户以手机号识别；隐号（前三后四）须同时有客户姓名。同一客户在同一楼盘的几行（如住房和车位）合计为一笔成交。",
        "成交日期取认购日期（没有认购日期时取签约日期）；退房的行不算成交。",
        "渠道登记表中的成交与本台账核对：台账有记录的为“已确认”（以台账的日期和金额为准），没有的为“待确认”，"
        "暂不列入应结。",
    ),
    series=("楼盘",),
    dated_by=("导出日期",),
)

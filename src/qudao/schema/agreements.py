"""渠道合作协议台账 (tools.md §13).

Version 2 adds what the agreement text (``qudao agreement``) needs beyond the terms: 乙方's
address, contact and phone, the payee account (户名、开户行、账号) and the cooperation targets
(目标周期 and the registrations, visits, deals and amount per period, or a 合作目标 text).
Every new column is optional, so a version-1 ledger still reads; ``qudao agreement`` names
the cells still empty before it writes a text.
"""

from __future__ import annotations

from qudao.schema.model import CHANNEL_TYPES, YES_NO, Column, Kind, Table

TARGET_PERIODS = ("月度", "季度", "半年度", "年度", "协议期")
# how the agreement text says "per period"
TARGET_PERIOD_TEXT = {"月度": "每月", "季度": "每季度", "半年度": "每半年", "年度": "每年", "协议期": "在协议期内"}
# the numeric targets, in the order the text lists them: column → (what, unit)
TARGETS = {
    "登记目标(人)": ("登记意向客户", "人"),
    "到访目标(人)": ("带客户到访", "人"),
    "成交目标(套)": ("成交", "套"),
    "成交额目标(万元)": ("成交金额", "万元"),
}

COLUMNS = (  # the version-1 columns keep their places (A–N and 备注 last); version 2's follow them
    Column("协议编号", "text", required=True, width=14, hint="唯一", example="QD-2026-001"),
    Column("渠道名称", "text", required=True, aliases=("乙方", "乙方名称", "乙方全称"), width=22,
           hint="乙方全称，与营业执照和盖章一致", example="拉萨雪域物业服务有限公司"),
    Column("渠道类型", "enum", enum=CHANNEL_TYPES, width=10),
    Column("合作区域", "text", width=12, example="拉萨市"),
    Column("合作楼盘", "text", width=16, hint="留空：甲方代理并书面通知乙方的楼盘", example="麓湖花园、天府云城"),
    Column("签订日期", "date", width=12, example="2026-09-28"),
    Column("生效日期", "date", required=True, direction="forward", width=12, example="2026-10-01"),
    Column("到期日期", "date", required=True, not_before="生效日期", direction="forward", width=12, example="2027-09-30"),
    Column("佣金点位(%)", "percent", min=0, max=10, width=10, example="1.5"),
    Column("结佣周期(天)", "int", min=0, max=3650, width=10, hint="成交日期起多少天内结佣", example="30"),
    Column("是否独家", "enum", enum=YES_NO, width=8),
    Column("保护期(天)", "int", min=1, max=3650, width=9, hint="留空按 30 天", example="30"),
    Column("状态", "enum", enum=("有效", "到期", "终止"), width=7, example="有效"),
    Column("我方签约人", "text", width=10, example="李强"),
    Column("乙方地址", "text", aliases=("渠道地址", "乙方住所", "通讯地址", "地址", "注册地址"), width=26,
           hint="协议文本的乙方地址", example="拉萨市城关区北京中路 88 号"),
    Column("乙方联系人", "text", aliases=("渠道联系人", "对方联系人", "联系人"), width=10,
           hint="乙方负责对接的人员", example="次仁"),
    Column("乙方电话", "phone", aliases=("乙方联系电话", "渠道电话", "对方电话", "联系电话"), width=14,
           hint="乙方联系人的 11 位手机号", example="13908910001"),
    Column("收款户名", "text", aliases=("户名", "账户名称", "开户名称", "收款单位", "收款人"), width=22,
           hint="佣金收款账户的户名，一般与乙方全称一致", example="拉萨雪域物业服务有限公司"),
    Column("开户行", "text", aliases=("开户银行", "收款银行", "开户行名称"), width=22,
           hint="写到支行", example="中国农业银行拉萨城关支行"),
    Column("收款账号", "account", aliases=("银行账号", "收款账户", "账号", "开户账号"), width=26,
           hint="按文本填写完整账号（单元格已设为文本，数字不会被改写）", example="6228 4801 2345 6789 012"),
    Column("目标周期", "enum", enum=TARGET_PERIODS, aliases=("考核周期",),
           synonyms={"月": "月度", "每月": "月度", "季": "季度", "每季度": "季度", "半年": "半年度",
                     "每半年": "半年度", "年": "年度", "每年": "年度", "全年": "年度", "协议期内": "协议期"},
           width=9, hint="下列目标按什么周期计", example="季度"),
    Column("登记目标(人)", "int", min=1, aliases=("目标登记", "登记目标人数"), width=9, hint="每个目标周期", example="30"),
    Column("到访目标(人)", "int", min=1, aliases=("目标到访", "到访目标人数"), width=9, hint="每个目标周期", example="10"),
    Column("成交目标(套)", "int", min=1, aliases=("目标成交", "销售目标套数", "目标套数"), width=9,
           hint="每个目标周期", example="2"),
    Column("成交额目标(万元)", "money", min=0, min_exclusive=True, max=100_000,
           aliases=("销售额目标", "销售金额目标", "目标销售额", "目标成交额"), width=11, hint="每个目标周期，单位万元",
           example="300"),
    Column("合作目标", "text", aliases=("其他目标", "目标说明"), width=24, hint="数量以外的目标，如举办推介会",
           example="每季度联合举办推介会 1 场"),
    Column("备注", "text", width=16, hint="台账内部备注，不进入协议文本"),
)

KIND = Kind(
    id="agreements",
    title="渠道合作协议台账",
    names=("协议台账", "台账"),
    version=2,  # 2: 乙方地址/联系人/电话, 收款户名/开户行/账号, 目标周期 and the targets (all optional: v1 still reads)
    description="每份渠道合作协议（统一版本）的双方、期限、佣金、收款账户、目标、保护期和状态。",
    tables=(Table(sheet="协议台账", columns=COLUMNS, title="渠道合作协议台账"),),
    notes=("协议中的保护期(天) 会用于该渠道的客户归属；佣金点位用于没有按楼盘设置点位时的佣金计算。",
           "用 qudao agreement 台账.xlsx --id 协议编号 生成该协议的统一版本文本；缺少文本需要的内容时会列出要补的单元格。",
           "收款账号按文本填写：以数字保存时 Excel 只保留 15 位，账号会被改写。",
           "目标按“目标周期”计（如每季度登记 30 人、成交 2 套），用于协议的合作目标和考核条款。"),
)

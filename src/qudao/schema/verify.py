"""异常核实表 — HQ's record of the 异常监控 items it has checked (issue 24).

Its table is the summary's 异常监控 sheet, column for column: HQ copies that sheet into a workbook of its
own (or starts from ``qudao new verify``), writes 正常 or 违规 in 核实 for each item it has looked into,
and keeps the file in the inbox. An item whose 编号 is marked there does not come back in later reports
(qudao.analysis.anomaly; docs/decisions.md → Evidence and 串货).
"""

from __future__ import annotations

from qudao.schema.model import Column, Field, Kind, Table

SHEET = "异常监控"
RESULTS = ("正常", "违规", "待核实")
CHECKED = ("正常", "违规")  # an item marked so is done with
RESULT_SYNONYMS = {
    "已核实": "正常", "已核": "正常", "核实无误": "正常", "无异常": "正常", "属实正常": "正常", "合规": "正常",
    "ok": "正常", "√": "正常", "✓": "正常", "✔": "正常", "是": "正常", "已处理": "正常",
    "属实": "违规", "串货": "违规", "违约": "违规", "不正常": "违规", "异常属实": "违规",
    "未核实": "待核实", "待查": "待核实", "核实中": "待核实", "待处理": "待核实", "否": "待核实",
}

# the columns of the summary's 异常监控 sheet, in its order (analysis.anomaly writes them)
COLUMNS = (
    Column("编号", "text", required=True, aliases=("异常编号", "监控编号"), width=12,
           hint="汇总表“异常监控”中的编号，勿改动", example="YC-3F2A9C1B"),
    Column("规则", "text", aliases=("异常类型", "类型"), width=14, example="合作楼盘以外"),
    Column("渠道", "text", aliases=("渠道名称",), width=22, example="拉萨雪域物业服务有限公司"),
    Column("对象", "text", aliases=("客户", "事项"), width=16, example="张三 138****5678"),
    Column("需核对的行", "text", aliases=("核对位置", "来源"), width=36, example="拉萨分所/雪域物业-2026W48.xlsx 第 5 行"),
    Column("原因", "text", aliases=("说明", "异常说明"), width=48),
    Column("首次发现", "date", aliases=("发现日期",), width=11, example="2026-11-27"),
    Column("核实", "enum", enum=RESULTS, synonyms=RESULT_SYNONYMS, aliases=("核实结果", "核实情况", "是否核实"), width=8,
           hint="正常 / 违规：已核实，以后不再列出；待核实或空白：继续列出", example="正常"),
    Column("核实人", "text", width=8, example="李强"),
    Column("核实日期", "date", width=11, example="2026-11-30"),
    Column("核实说明", "text", aliases=("处理意见", "处理结果", "备注"), width=30, example="客户确为其同事介绍，非串货"),
)

KIND = Kind(
    id="verify",
    title="异常核实表",
    names=("核实表", "异常核实"),
    version=1,
    description="总部对“异常监控”各项的核实记录：已核实的项目不再列出",
    tables=(Table(sheet=SHEET, columns=COLUMNS, block=(Field("填表人"), Field("填表日期", type="date")),
                  title="异常核实表"),),
    notes=(
        "把汇总表的“异常监控”工作表复制成单独的工作簿（或用本模板，把要核实的行粘贴进来），在“核实”列填 正常 或 违规，"
        "保存到收件箱（如 总部/异常核实表.xlsx）。",
        "编号对应汇总表中的一项异常；已填 正常/违规 的项目以后的汇总不再列出，待核实或空白的继续列出。",
    ),
    dated_by=("填表日期",),
)

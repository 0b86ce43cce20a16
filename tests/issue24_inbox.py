"""A multi-week inbox for issue 24 (evidence against the sales ledger), every figure by hand.

Two channels, weekly cumulative registers sent 2026-11-13 (W46), 11-20 (W47) and 11-27 (W48); an agreements
ledger (settled on the deal day: due = 成交日期, so a deal is 应结 at once unless held); two exports of the sales
office's ledger (W47: 成交总价(元) in its header; W48: 成交总价 without a unit, every amount ≥ 10,000 → 元).

* 拉萨雪域物业服务有限公司 (QD-001, 2 %)
    张三 13800000001  11-02, visit 11-05, deal 11-10 麓湖花园 180.5   ledger the same            已确认 3.61
    李四 13800000002  11-03, visit 11-06, deal 11-12 麓湖花园 200     ledger 185.3 + 车位 10.0    已确认 195.3 → 3.906
    钱七 13800000005  11-01, visit 11-09, no deal reported            ledger 11-16 东安湖壹号 250  案场确认，渠道未报 5.00
    吴十 13800000008  11-04, visit 11-08, deal 11-18 青城山居 300     no ledger covers 青城山居     未核对 6.00
    郑一 13800000009  11-06, visit 11-08, deal 11-17 麓湖花园 160     only the W48 ledger          W47 待确认, W48 已确认 3.20
    周九 13800000007  10-01 (in every copy): its protection ended 10-31
* 拉萨天路国际旅行社 (QD-002, 1.5 %)
    王五 13800000003  11-04, visit 11-08, deal 11-12 天府云城 150     ledger 认购 11-11, 签约 11-20  已确认, dated 11-11 → 2.25
    赵六 13800000004  11-05, visit 11-09, deal 11-15 天府云城 120     not in the ledger            待确认 1.80 (not 应结)
    孙八 13800000006  11-06, visit 11-10, deal 11-14 天府云城 99      ledger 138****0006 孙八      已确认 (masked) 1.485
    周九 13800000007  11-05, visit typed 11-10                        ledger first visit 11-03     registered after the visit:
                      到访后登记, the customer is 自然到访 (雪域's protection ended 10-31)

雪域: 5 deals, 1,085.8 万元, commission 21.716 → 21.72; 天路: 3 deals, 369 万元, 5.535 → 5.54.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

D = dt.date
WEEKS = {"2026W46": D(2026, 11, 13), "2026W47": D(2026, 11, 20), "2026W48": D(2026, 11, 27)}
HEADER = ["序号", "登记日期", "客户姓名", "联系电话", "常住城市", "意向楼盘", "意向等级", "到访日期", "成交日期", "成交楼盘",
          "成交金额(万元)"]
XUEYU, TIANLU = "拉萨雪域物业服务有限公司", "拉萨天路国际旅行社"
REGISTERS = {  # channel → rows: 登记, 姓名, 电话, 城市, 意向楼盘, 等级, 到访, 成交, 成交楼盘, 金额
    XUEYU: [
        (D(2026, 11, 2), "张三", "13800000001", "拉萨", "麓湖花园", "A", D(2026, 11, 5), D(2026, 11, 10), "麓湖花园", 180.5),
        (D(2026, 11, 3), "李四", "13800000002", "拉萨", "麓湖花园", "A", D(2026, 11, 6), D(2026, 11, 12), "麓湖花园", 200),
        (D(2026, 11, 1), "钱七", "13800000005", "拉萨", "东安湖壹号", "B", D(2026, 11, 9), None, None, None),
        (D(2026, 11, 4), "吴十", "13800000008", "日喀则", "青城山居", "B", D(2026, 11, 8), D(2026, 11, 18), "青城山居", 300),
        (D(2026, 11, 6), "郑一", "13800000009", "拉萨", "麓湖花园", "A", D(2026, 11, 8), D(2026, 11, 17), "麓湖花园", 160),
        (D(2026, 10, 1), "周九", "13800000007", "拉萨", "天府云城", "C", None, None, None, None),
    ],
    TIANLU: [
        (D(2026, 11, 4), "王五", "13800000003", "拉萨", "天府云城", "A", D(2026, 11, 8), D(2026, 11, 12), "天府云城", 150),
        (D(2026, 11, 5), "赵六", "13800000004", "林芝", "天府云城", "B", D(2026, 11, 9), D(2026, 11, 15), "天府云城", 120),
        (D(2026, 11, 6), "孙八", "13800000006", "拉萨", "天府云城", "A", D(2026, 11, 10), D(2026, 11, 14), "天府云城", 99),
        (D(2026, 11, 5), "周九", "13800000007", "拉萨", "天府云城", "B", D(2026, 11, 10), None, None, None),
    ],
}
AGREEMENT_HEADER = ["协议编号", "渠道名称", "合作区域", "合作楼盘", "生效日期", "到期日期", "佣金点位(%)", "结佣周期(天)",
                    "保护期(天)", "状态"]
AGREEMENTS = [
    ("QD-001", XUEYU, "西藏自治区", "麓湖花园、天府云城、东安湖壹号、青城山居", D(2026, 1, 1), D(2027, 12, 31), 2, 0, 30, "有效"),
    ("QD-002", TIANLU, "西藏自治区", "全部楼盘", D(2026, 1, 1), D(2027, 12, 31), 1.5, 0, 30, "有效"),
]
LEDGER_HEADER = ["项目名称", "房间号", "客户名称", "手机号码", "首次到访日期", "认购日期", "签约日期", "成交总价", "置业顾问",
                 "渠道来源", "交易状态"]


def ledger_rows(week: str) -> list[tuple]:
    """The sales office's export of ``week`` (amounts in 元)."""
    rows = [
        ("麓湖花园", "1-1-1501", "张三", "13800000001", D(2026, 11, 5), D(2026, 11, 10), None, 1805000, "刘洋", "雪域物业", "认购"),
        ("麓湖花园", "1-2-0802", "李四", "138****0002", D(2026, 11, 6), D(2026, 11, 12), None, 1853000, "刘洋", "雪域物业", "认购"),
        ("麓湖花园", "车位-B1-021", "李四", "138****0002", None, D(2026, 11, 12), None, 100000, "刘洋", "", "认购"),
        ("天府云城", "3-1-1203", "王五", "13800000003", D(2026, 11, 8), D(2026, 11, 11), D(2026, 11, 20), 1500000, "次仁",
         "天路旅行社", "签约" if week == "2026W48" else "认购"),
        ("天府云城", "3-2-0601", "孙八", "138****0006", D(2026, 11, 10), D(2026, 11, 14), None, 990000, "次仁", "", "认购"),
        ("东安湖壹号", "5-1-0301", "钱七", "13800000005", D(2026, 11, 9), D(2026, 11, 16), None, 2500000, "王芳", "", "认购"),
        ("天府云城", "", "周九", "13800000007", D(2026, 11, 3), None, None, None, "次仁", "自然来访", None),  # a visit only
        ("东安湖壹号", "5-3-1102", "冯二", "13911112222", D(2026, 11, 2), D(2026, 11, 7), None, 2100000, "王芳", "自然来访", "认购"),
        ("天府云城", "3-3-0101", "陈三", "13922223333", D(2026, 11, 1), D(2026, 11, 3), None, 1300000, "次仁", "", "退房"),
    ]
    if week == "2026W48":
        rows.append(("麓湖花园", "1-3-1001", "郑一", "13800000009", D(2026, 11, 8), D(2026, 11, 17), None, 1600000, "刘洋", "",
                     "认购"))
    return rows


def write_ledger(path: Path, week: str, sent: dt.date) -> Path:
    """The export as a sales system writes it: a title, the export date, headers, rows, a 合计 row."""
    wb = Workbook()
    ws = wb.active
    ws.title = "认购明细"
    ws.append(["认购明细（销售系统导出）"])
    ws.append(["导出日期：", sent])
    header = list(LEDGER_HEADER)
    if week == "2026W47":
        header[7] = "成交总价(元)"
    ws.append(header)
    rows = ledger_rows(week)
    for row in rows:
        ws.append(list(row))
    ws.append(["合计", None, None, None, None, None, None, sum(r[7] or 0 for r in rows)])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def build(root: Path) -> Path:
    """Write the inbox into ``root/inbox`` and return it."""
    from conftest import make_register

    from issue14_inbox import book

    inbox = root / "inbox"
    for channel, rows in REGISTERS.items():
        folder = inbox / "拉萨分所"
        folder.mkdir(parents=True, exist_ok=True)
        for tag, sent in WEEKS.items():
            lines = []
            for n, (reg, name, phone, city, prop, grade, visit, deal, deal_prop, amount) in enumerate(rows, start=1):
                if reg > sent:
                    continue
                visit = visit if visit and visit <= sent else None
                dealt = deal is not None and deal <= sent
                lines.append([n, reg, name, phone, city, prop, grade, visit, deal if dealt else None,
                              deal_prop if dealt else None, amount if dealt else None])
            make_register(folder / f"{channel}-{tag}.xlsx", lines, header=HEADER,
                          block={"渠道名称": channel, "渠道类型": "物业", "所属分所": "拉萨分所", "报送日期": sent})
    book(inbox / "总部" / "渠道合作协议台账.xlsx", [("协议台账", "渠道合作协议台账", {}, AGREEMENT_HEADER, AGREEMENTS)])
    for week in ("2026W47", "2026W48"):
        write_ledger(inbox / "总部" / f"案场成交台账-{week}.xlsx", week, WEEKS[week])
    return inbox

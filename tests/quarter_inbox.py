"""A quarter of one inbox, 2026-W41 … 2026-W53 (issue 22): money a partner can reconcile, every figure by hand.

Weeks run Monday … Sunday; every copy is sent on the Friday of its week and carries that 报送日期. The
weekly statement of week W is made on the Monday after it (its as-of day) and compares with what was
stated a week earlier.

* 拉萨雪域物业 (A; 拉萨分所; agreement QD-2026-001 written 「拉萨雪域物业服务有限公司」: 1.2 %, 30 days, settled
  after 30 days, in force 2026-10-01 … 2026-12-31, its 状态 still 有效 on 2027-01-04). A copy every week; the
  W47 and W48 copies write its **legal name** 「拉萨雪域物业服务有限公司」 in the header (one channel all the same).
    拉姆 13800000006  10-05, visit 10-09, deal 10-16 250.00 → 3.00, due 11-15, 逾期 from 12-15, never paid
    周杰 13800000001  10-06, visit 10-20, deal 11-17 162.00 → 1.94 (W47); **corrected** to 126.00 → 1.51 in W48
    卓玛 13800000002  10-13, visit 10-28, deal 11-10 200.00 → 2.40 (W46); **cancelled** from the W50 copy
                      (备注 「已退房，成交取消」); the visit stays
    次旦 13800000003  10-14; **withdrawn**: not in the W49 copy or any later one
    格桑 13800000004  11-02, never visits; protection to 12-02; **taken over** by 西藏四川商会 on 12-09 (W50)
    多吉 13800000005  12-21, visit 12-23, deal 12-30 100.00 → 1.20 (under QD-2026-001, whatever its 状态 says)
* 西藏四川商会 (B; 拉萨分所; no agreement: 1.5 %, settled after 60 days). Sends **only what changed** (its copies
  hardly overlap: an incremental series): W41 达瓦 registered; W42 达瓦 with her visit; W43 达瓦 with her deal;
  W45 央宗; W48 央宗 again, now with her visit of 11-12 (a **late visit**: it belongs to W46); W50 格桑.
    达瓦 13800000011  10-08, visit 10-15, deal 10-22 150.00 → 2.25; paid in full on 11-25
    央宗 13800000012  11-04, visit 11-12 (first sent in W48)
    格桑 13800000004  12-09: takes 雪域's customer over
* 拉萨天路国际旅行社 (C; 拉萨分所; agreement QD-2026-002: 1.0 %, settled after 30 days, from 11-06). Copies W45 …
  W53 except W51 (**a week with no register**).
    旺堆 13800000021  11-02, visit 11-09, deal 11-20 300.00: registered before QD-2026-002 took effect → the
                      default 1.5 % = 4.50, settled after the default 60 days (due 2027-01-19); 2.00 paid 12-28
    尼玛 13800000022  11-10, visit 11-18, deal 11-26 80.00 → 0.80, due 12-26
* 日喀则扎什物业 (D; 日喀则分所; no agreement). Four registrations (10-07, 10-08, 10-09, 10-13); the W46 copy holds
  only the first (**a partial copy**: the others stay); in the W47 copy 卓嘎's phone is mistyped (**a rejected
  row**: it still holds her registration).
* 结佣台账 (总部, finance): copies of 11-27, 12-18, 12-25 and 2027-01-01, each holding the payments so far —
  FK-001 达瓦 2.25 (11-25); FK-002 周杰 1.51 (12-16); FK-003 周杰 1.51 (12-16, **the same payment again**);
  FK-004 卓玛 2.40 (12-21, **a cancelled deal**); FK-005 旺堆 2.00 (12-28, **in part**).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

D = dt.date
XUEYU, LEGAL, SHANGHUI, TIANLU, ZHASHI = ("拉萨雪域物业", "拉萨雪域物业服务有限公司", "西藏四川商会", "拉萨天路国际旅行社",
                                          "日喀则扎什物业")
WEEKS = tuple(f"2026-W{n}" for n in range(41, 54))
HEADER = ["序号", "登记日期", "客户姓名", "联系电话", "意向等级", "到访日期", "成交日期", "成交楼盘", "成交金额(万元)", "跟进人",
          "备注"]
PROPERTY = "麓湖花园"


def monday(week: str) -> dt.date:
    return dt.date.fromisocalendar(int(week[:4]), int(week[6:]), 1)


def friday(week: str) -> dt.date:
    return monday(week) + dt.timedelta(days=4)


def sunday(week: str) -> dt.date:
    return monday(week) + dt.timedelta(days=6)


def after(week: str) -> dt.date:
    """The as-of day of a week's statement: the Monday after it."""
    return monday(week) + dt.timedelta(days=7)


def _row(reg, name, phone, visit=None, deal=None, amount=None, staff="", note=None):
    return [reg, name, phone, "A", visit, deal, PROPERTY if deal else None, amount, staff, note]


def xueyu_rows(week: str) -> list[list]:
    """What 拉萨雪域物业 sends in ``week``: everything so far, as it stands that Friday."""
    n = int(week[6:])
    rows = [_row(D(2026, 10, 5), "拉姆", "13800000006", D(2026, 10, 9), D(2026, 10, 16) if n >= 42 else None,
                 250.0 if n >= 42 else None, "王芳"),
            _row(D(2026, 10, 6), "周杰", "13800000001", D(2026, 10, 20) if n >= 43 else None,
                 D(2026, 11, 17) if n >= 47 else None, (162.0 if n == 47 else 126.0) if n >= 47 else None, "王芳")]
    if n >= 42:
        dealt = 46 <= n <= 49
        rows.append(_row(D(2026, 10, 13), "卓玛", "13800000002", D(2026, 10, 28) if n >= 44 else None,
                         D(2026, 11, 10) if dealt else None, 200.0 if dealt else None, "王芳",
                         "已退房，成交取消" if n >= 50 else None))
    if 42 <= n <= 48:
        rows.append(_row(D(2026, 10, 14), "次旦", "13800000003", staff="王芳"))
    if n >= 45:
        rows.append(_row(D(2026, 11, 2), "格桑", "13800000004", staff="王芳"))
    if n >= 52:
        rows.append(_row(D(2026, 12, 21), "多吉", "13800000005", D(2026, 12, 23), D(2026, 12, 30) if n >= 53 else None,
                         100.0 if n >= 53 else None, "王芳"))
    return rows


SHANGHUI_COPIES = {  # week → rows: only what is new or changed
    "2026-W41": [_row(D(2026, 10, 8), "达瓦", "13800000011", staff="李强")],
    "2026-W42": [_row(D(2026, 10, 8), "达瓦", "13800000011", D(2026, 10, 15), staff="李强")],
    "2026-W43": [_row(D(2026, 10, 8), "达瓦", "13800000011", D(2026, 10, 15), D(2026, 10, 22), 150.0, "李强")],
    "2026-W45": [_row(D(2026, 11, 4), "央宗", "13800000012", staff="李强")],
    "2026-W48": [_row(D(2026, 11, 4), "央宗", "13800000012", D(2026, 11, 12), staff="李强")],
    "2026-W50": [_row(D(2026, 12, 9), "格桑", "13800000004", staff="李强")],
}


def tianlu_rows(week: str) -> list[list]:
    n = int(week[6:])
    rows = [_row(D(2026, 11, 2), "旺堆", "13800000021", D(2026, 11, 9) if n >= 46 else None,
                 D(2026, 11, 20) if n >= 47 else None, 300.0 if n >= 47 else None, "次仁")]
    if n >= 46:
        rows.append(_row(D(2026, 11, 10), "尼玛", "13800000022", D(2026, 11, 18) if n >= 47 else None,
                         D(2026, 11, 26) if n >= 48 else None, 80.0 if n >= 48 else None, "次仁"))
    return rows


def zhashi_rows(week: str) -> list[list]:
    n = int(week[6:])
    rows = [_row(D(2026, 10, 7), "巴桑", "13800000031", staff="普布"),
            _row(D(2026, 10, 8), "卓嘎", "1380000003" if n == 47 else "13800000032", staff="普布"),  # W47: 10 digits
            _row(D(2026, 10, 9), "平措", "13800000033", staff="普布")]
    if n >= 42:
        rows.append(_row(D(2026, 10, 13), "德吉", "13800000034", staff="普布"))
    return rows[:1] if n == 46 else rows  # W46: a partial copy


PAYMENTS = [  # 付款编号, 渠道名称, 客户姓名, 联系电话, 成交日期, 付款日期, 付款金额(万元), 凭证号
    ("FK-001", SHANGHUI, "达瓦", "13800000011", D(2026, 10, 22), D(2026, 11, 25), 2.25, "HD1125"),
    ("FK-002", LEGAL, "周杰", "138****0001", None, D(2026, 12, 16), 1.51, "HD1216A"),
    ("FK-003", LEGAL, "周杰", "138****0001", None, D(2026, 12, 16), 1.51, "HD1216B"),
    ("FK-004", XUEYU, "卓玛", "13800000002", None, D(2026, 12, 21), 2.40, "HD1221"),
    ("FK-005", TIANLU, "旺堆", "13800000021", D(2026, 11, 20), D(2026, 12, 28), 2.00, "HD1228"),
]
LEDGER_COPIES = {D(2026, 11, 27): 1, D(2026, 12, 18): 3, D(2026, 12, 25): 4, D(2027, 1, 1): 5}  # 填表日期 → rows


def _register(path: Path, channel: str, branch: str, kind: str, sent: dt.date, rows: list[list]) -> None:
    from conftest import make_register

    make_register(path, [[n, *row] for n, row in enumerate(rows, start=1)], header=HEADER,
                  block={"渠道名称": channel, "渠道类型": kind, "所属分所": branch, "报送日期": sent})


def _sheet(path: Path, sheet: str, title: str, block: dict, header: list[str], rows: list) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append([title])
    for label, value in block.items():
        ws.append([f"{label}：", value])
    ws.append(header)
    for row in rows:
        ws.append(list(row))
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def build(root: Path) -> Path:
    """Write the whole quarter's inbox into ``root/inbox`` (every copy, each dated the Friday it was sent)."""
    inbox = root / "inbox"
    lhasa, shigatse, hq = inbox / "拉萨分所", inbox / "日喀则分所", inbox / "总部"
    for folder in (lhasa, shigatse, hq):
        folder.mkdir(parents=True, exist_ok=True)
    for week in WEEKS:
        tag, sent = week.replace("-", ""), friday(week)
        name = LEGAL if week in ("2026-W47", "2026-W48") else XUEYU
        _register(lhasa / f"雪域物业-{tag}.xlsx", name, "拉萨分所", "物业", sent, xueyu_rows(week))
        if week in SHANGHUI_COPIES:
            _register(lhasa / f"四川商会-{tag}.xlsx", SHANGHUI, "拉萨分所", "协会商会", sent, SHANGHUI_COPIES[week])
        if week >= "2026-W45" and week != "2026-W51":
            _register(lhasa / f"天路国旅-{tag}.xlsx", TIANLU, "拉萨分所", "旅行社", sent, tianlu_rows(week))
        _register(shigatse / f"扎什物业-{tag}.xlsx", ZHASHI, "日喀则分所", "物业", sent, zhashi_rows(week))
    _sheet(hq / "渠道合作协议台账.xlsx", "协议台账", "渠道合作协议台账", {},
           ["协议编号", "渠道名称", "生效日期", "到期日期", "佣金点位(%)", "结佣周期(天)", "保护期(天)", "状态", "我方签约人"],
           [("QD-2026-001", LEGAL, D(2026, 10, 1), D(2026, 12, 31), 1.2, 30, 30, "有效", "李强"),  # 有效 stays
            ("QD-2026-002", TIANLU, D(2026, 11, 6), D(2027, 11, 5), 1.0, 30, 30, "有效", "李强")])
    for stamp, count in LEDGER_COPIES.items():
        _sheet(hq / f"结佣台账-{stamp.isoformat()}.xlsx", "结佣记录", "结佣台账", {"填表日期": stamp, "填表人": "卓玛"},
               ["付款编号", "渠道名称", "客户姓名", "联系电话", "成交日期", "付款日期", "付款金额(万元)", "付款方式", "凭证号"],
               [(n, ch, cust, phone, deal, paid, amount, "银行转账", voucher)
                for n, ch, cust, phone, deal, paid, amount, voucher in PAYMENTS[:count]])
    return inbox

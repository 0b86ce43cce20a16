"""A small inbox for issue 14 items 5–7 (statements, to-do lists, HQ's open asks), every figure by hand.

Three channels in two branches, seen on Monday 2026-11-30 (the as-of day of the rollup of 2026-W48):

* 拉萨雪域物业 (拉萨分所; agreement QD-001, written 「拉萨雪域物业服务有限公司」: 1 %, 30 days' protection,
  settled 30 days after the deal, in force 2026-10-01 … 2026-12-20)
    周杰 13800000001  11-02, visit 11-10, deal 11-20 麓湖花园 223.5 → 2.235 → 2.24, due 12-20 未到期   (王芳)
    卓玛 13800000002  11-05, protected until 12-05 (the to-do: 5 days left)                        (王芳)
    次旦 13800000003  10-10, protected until 11-09; taken over by 西藏四川商会 on 11-12               (次仁)
    格桑 13800000004  11-20, protected until 12-20                                               (王芳)
* 西藏四川商会 (拉萨分所; no agreement: 1.5 %, 30 days, settled after 60 days)
    达瓦 13800000005  11-03, visit 11-09, deal 11-11 麓湖花园 150 → 2.25, due 2027-01-10 未到期       (李强)
    央宗 13800000002  11-12: 撞单 — the same phone 雪域 registered on 11-05 as 卓玛                  (李强)
    丹增 13800000003  11-12: takes 次旦 over; visit 11-18, deal 11-25 天府云城 88.8 → 1.332 → 1.33,
                      due 2027-01-24 未到期                                                        (李强)
    拉巴 13800000006  10-25, protection ended 11-24 without a visit (the to-do: ended last week)   (李强)
* 日喀则扎什物业 (日喀则分所; agreement QD-002: 2 %, 30 days, settled after 30 days, 2026 … 2027-06-30)
    旺堆 13800000009  09-01, visit 09-05, deal 09-10 雪域华庭 100 → 2.00, due 10-10, 逾期 since 11-09 (普布)
    尼玛 13800000008  11-06, protected until 12-06 (the to-do: 6 days left; no 跟进人)
    多吉 13800000007  11-25, visit 11-27                                                          (普布)

Feedback (工作进程反馈表) of 拉萨分所 in W46, W47, W48 (填报人 王芳) and of 日喀则分所 in W48 (普布); the
分所工作对接表 of 拉萨分所 in W47 and W48, of 日喀则分所 in W47 only (so it is missing in W48); the
渠道拓展 tracker of 拉萨分所 (雪域 A-grade with 2 visits by 11-27: 5 due); the agreements ledger.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

D = dt.date
AS_OF = D(2026, 11, 30)
SENT = D(2026, 11, 27)
HEADER = ["序号", "登记日期", "客户姓名", "联系电话", "意向等级", "到访日期", "成交日期", "成交楼盘", "成交金额(万元)", "跟进人"]

XUEYU, SHANGHUI, ZHASHI = "拉萨雪域物业", "西藏四川商会", "日喀则扎什物业"
REGISTERS = {  # channel → (branch, type, rows)
    XUEYU: ("拉萨分所", "物业", [
        (D(2026, 11, 2), "周杰", "13800000001", "A", D(2026, 11, 10), D(2026, 11, 20), "麓湖花园", 223.5, "王芳"),
        (D(2026, 11, 5), "卓玛", "13800000002", "A", None, None, None, None, "王芳"),
        (D(2026, 10, 10), "次旦", "13800000003", "B", None, None, None, None, "次仁"),
        (D(2026, 11, 20), "格桑", "13800000004", "B", None, None, None, None, "王芳"),
    ]),
    SHANGHUI: ("拉萨分所", "协会商会", [
        (D(2026, 11, 3), "达瓦", "13800000005", "A", D(2026, 11, 9), D(2026, 11, 11), "麓湖花园", 150, "李强"),
        (D(2026, 11, 12), "央宗", "13800000002", "A", None, None, None, None, "李强"),
        (D(2026, 11, 12), "丹增", "13800000003", "B", D(2026, 11, 18), D(2026, 11, 25), "天府云城", 88.8, "李强"),
        (D(2026, 10, 25), "拉巴", "13800000006", "B", None, None, None, None, "李强"),
    ]),
    ZHASHI: ("日喀则分所", "物业", [
        (D(2026, 9, 1), "旺堆", "13800000009", "A", D(2026, 9, 5), D(2026, 9, 10), "雪域华庭", 100, "普布"),
        (D(2026, 11, 6), "尼玛", "13800000008", "B", None, None, None, None, None),
        (D(2026, 11, 25), "多吉", "13800000007", "A", D(2026, 11, 27), None, None, None, "普布"),
    ]),
}


def book(path: Path, sheets: list[tuple[str, str, dict, list[str], list]]) -> Path:
    """Sheets as people paste them: a title, ``label：value`` lines, the header row, the rows."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, title, block, header, rows in sheets:
        ws = wb.create_sheet(name)
        ws.append([title])
        for label, value in block.items():
            ws.append([f"{label}：", value])
        ws.append(header)
        for row in rows:
            ws.append(list(row))
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


PROGRESS = ["序号", "工作事项", "本周进展", "完成度(%)", "存在问题", "需协调事项", "下周计划", "状态"]
CUSTOMERS = ["序号", "客户姓名", "联系电话", "来源渠道", "最近跟进日期", "意向等级", "下次跟进日期", "跟进状态"]
HANDOFF = ["序号", "事项类别", "对接事项", "分所负责人", "总部对接人", "提出日期", "要求完成日期", "实际完成日期", "状态",
           "进展说明"]

FEEDBACK = {  # (branch, week, 填报日期, 填报人) → (progress rows, customer rows)
    ("拉萨分所", "2026-W46", D(2026, 11, 13), "王芳"): (
        [("藏文资料准备", "翻译中", 30, None, "总部提供藏文版资料", None, "进行中"),
         ("四川商会签约", "洽谈中", 50, "商会会长出差，签约推迟", None, None, "进行中")],
        [("拉巴", "13800000006", SHANGHUI, D(2026, 11, 10), "B", D(2026, 11, 17), "跟进中")]),
    ("拉萨分所", "2026-W47", D(2026, 11, 20), "王芳"): (
        [("藏文资料准备", "翻译中", 40, None, "总部提供藏文版资料", None, "进行中"),
         ("四川商会签约", "会长已回拉萨", 70, "商会会长出差，签约推迟", None, None, "进行中"),
         ("撞单核实", "两家渠道均登记了同一电话", 20, None, "请总部确认卓玛归属及佣金", None, "进行中")],
        [("拉巴", "13800000006", SHANGHUI, D(2026, 11, 17), "B", D(2026, 11, 21), "跟进中")]),
    ("拉萨分所", "2026-W48", D(2026, 11, 27), "王芳"): (
        [("藏文资料准备", "已催办", 50, "无", "总部提供藏文版资料", None, "进行中"),  # 「无」: nothing to ask
         ("四川商会签约", "已签约", 100, "商会会长出差，签约推迟", None, None, "已完成"),
         ("撞单核实", "等待总部答复", 40, None, "请总部确认卓玛归属及佣金。", None, "进行中")],
        [("卓玛", "13800000002", XUEYU, D(2026, 11, 25), "A", D(2026, 11, 28), "跟进中"),
         ("格桑", "13800000004", XUEYU, D(2026, 11, 24), "B", D(2026, 12, 3), None),
         ("周杰", "13800000001", XUEYU, D(2026, 11, 26), "A", D(2026, 11, 29), "已成交"),
         ("次旦", "13800000003", XUEYU, D(2026, 11, 20), "B", D(2026, 12, 9), "跟进中")]),
    ("日喀则分所", "2026-W48", D(2026, 11, 27), "普布"): (
        [("宣传推广", "摆点两次", 50, "缺少宣传折页", "暂无", None, "进行中")],
        [("多吉", "13800000007", ZHASHI, D(2026, 11, 27), "A", D(2026, 11, 30), "跟进中")]),
}

HANDOFFS = {  # (branch, tag, 填表日期) → rows
    ("拉萨分所", "2026W47", D(2026, 11, 20)): [
        ("楼盘资料", "提供麓湖花园最新价格表", "王芳", "李强", D(2026, 11, 18), D(2026, 11, 25), None, "进行中",
         "已向开发商索取"),
        ("费用结算", "申请推介会预算", "王芳", "李强", D(2026, 11, 10), D(2026, 11, 20), D(2026, 11, 19), "已完成", None)],
    ("拉萨分所", "2026W48", D(2026, 11, 27)): [
        ("楼盘资料", "提供麓湖花园最新价格表", "王芳", "李强", D(2026, 11, 18), D(2026, 11, 25), None, "受阻",
         "等待开发商回复"),
        ("费用结算", "申请推介会预算", "王芳", "李强", D(2026, 11, 10), D(2026, 11, 20), D(2026, 11, 19), "已完成", None),
        ("客户接待", "安排看房车辆", "王芳", "李强", D(2026, 11, 26), D(2026, 12, 4), None, "未开始", None)],
    ("日喀则分所", "2026W47", D(2026, 11, 20)): [
        ("客户接待", "协调看房团接待", "普布", "李强", D(2026, 11, 16), D(2026, 11, 30), None, "进行中", None)],
}


def build(root: Path) -> Path:
    """Write the inbox into ``root/inbox`` and return it."""
    from conftest import make_register

    inbox = root / "inbox"
    for channel, (branch, kind, rows) in REGISTERS.items():
        folder = inbox / branch
        folder.mkdir(parents=True, exist_ok=True)
        make_register(folder / f"{channel}-2026W48.xlsx", [[n, *row] for n, row in enumerate(rows, start=1)],
                      header=HEADER, block={"渠道名称": channel, "渠道类型": kind, "所属分所": branch, "报送日期": SENT})
    for (branch, week, sent, author), (progress, customers) in FEEDBACK.items():
        book(inbox / branch / f"工作进程反馈表-{week.replace('-', '')}.xlsx", [
            ("工作进展", "工作进程反馈表", {"分所": branch, "填报人": author, "周次": week, "填报日期": sent}, PROGRESS,
             [(n, *row) for n, row in enumerate(progress, start=1)]),
            ("客户内容", "客户内容表", {}, CUSTOMERS, [(n, *row) for n, row in enumerate(customers, start=1)]),
        ])
    for (branch, tag, sent), rows in HANDOFFS.items():
        book(inbox / branch / f"分所工作对接表-{tag}.xlsx", [
            ("对接事项", "分所工作对接表", {"分所": branch, "填表人": rows[0][2], "填表日期": sent}, HANDOFF,
             [(n, *row) for n, row in enumerate(rows, start=1)])])
    book(inbox / "拉萨分所" / "渠道拓展标准流程管理表.xlsx", [
        ("渠道拓展", "渠道拓展标准流程管理表", {"分所": "拉萨分所", "负责人": "王芳", "填表日期": SENT},
         ["序号", "渠道名称", "渠道类型", "渠道等级", "本月拜访次数", "负责人"],
         [(1, XUEYU, "物业", "A", 2, "王芳"), (2, SHANGHUI, "协会商会", "C", 2, "李强")])])
    book(inbox / "总部" / "渠道合作协议台账.xlsx", [
        ("协议台账", "渠道合作协议台账", {},
         ["序号", "协议编号", "渠道名称", "生效日期", "到期日期", "佣金点位(%)", "结佣周期(天)", "保护期(天)", "状态",
          "我方签约人"],
         [(1, "QD-001", "拉萨雪域物业服务有限公司", D(2026, 10, 1), D(2026, 12, 20), 1.0, 30, 30, "有效", "李强"),
          (2, "QD-002", ZHASHI, D(2026, 1, 1), D(2027, 6, 30), 2.0, 30, 30, "有效", "普布")])])
    return inbox


def other_channels_data(channel: str) -> list[str]:
    """What must never appear in ``channel``'s statement: the other channels' names (full and without legal
    suffixes), and the names and phones (full and masked) of their registrations that ``channel`` did not
    make itself — its own registrations of a shared customer may show that customer's phone, and the name as
    ``channel`` wrote it."""
    own_names = {row[1] for row in REGISTERS[channel][2]}
    own_phones = {row[2] for row in REGISTERS[channel][2]}
    out = []
    for other, (_branch, _kind, rows) in REGISTERS.items():
        if other == channel:
            continue
        out += [other, other.replace("拉萨", "").replace("西藏", "").replace("日喀则", "")]
        for row in rows:
            if row[1] not in own_names:
                out.append(row[1])
            if row[2] not in own_phones:
                out += [row[2], f"{row[2][:3]}****{row[2][7:]}"]
    out += ["拉萨雪域物业服务有限公司"] if channel != XUEYU else []
    return out

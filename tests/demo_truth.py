"""What the demo inbox must give, worked out from the generator's own plan — not by qudao's reader,
checker or attribution.

:func:`qudao.jobs.demo.plan` lists every registration the generator writes (channel, customer,
dates, deal, the deliberate mistakes). From it, and from rules.md alone, this module derives what
each register file holds and what the summary must say: the demo inbox's ``expected.json``. The
shared fixture inbox has a hand-made one; this one lets a clone on its own test the same cases.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from qudao.jobs.demo import CHANNELS, END, plan, report_dates, sales_ledger, sent

PROTECTION_DAYS = 30
#: the finding each deliberate mistake causes (a "future" row with a visit also has its visit before 登记日期)
MISTAKE_CODES = {"phone": "phone.format", "deal": "deal.incomplete", "future": "date.future"}


def _label(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}W{week:02d}"


def register_files(end: dt.date = END) -> dict[str, dict]:
    """Every register file of the inbox → rows read/accepted/rejected/skipped and its error codes."""
    regs = plan()
    dates = report_dates(end=end)
    files: dict[str, dict] = {}

    def add(path: str, rows: list, skipped: int, report: dt.date) -> None:
        bad = [r for r in rows if r.bad]
        codes: Counter = Counter(MISTAKE_CODES[r.bad] for r in bad)
        codes["date.order"] += sum(1 for r in bad if r.bad == "future" and r.visit and r.visit <= report)
        files[path] = {"rows_read": len(rows) + skipped, "rows_accepted": len(rows) - len(bad),
                       "rows_rejected": len(bad), "rows_skipped": skipped, "errors": +codes}

    for channel in CHANNELS:
        if channel.style == "consolidated":
            continue
        mine = [r for r in regs if r.channel is channel]
        for week, report in enumerate(dates):
            if (len(dates) - 1 - week) % channel.every:
                continue
            rows = [r for r in mine if sent(r, report)]
            if rows:
                suffix = "csv" if channel.style == "csv" else "xlsx"
                total_row = 0 if channel.style in ("template", "csv") else 1  # pasted sheets end with 合计
                add(f"{channel.branch}/{channel.name}-{_label(report)}.{suffix}", rows, total_row, report)
    group = [c for c in CHANNELS if c.style == "consolidated"]
    for report in dates:
        rows = [r for r in regs if r.channel in group and sent(r, report)]
        add(f"{group[0].branch}/{group[0].branch}-汇总登记-{_label(report)}.xlsx", rows, 1, report)
    return files


def _customer(reg) -> tuple:
    if reg.channel.style == "masked":  # this channel sends 前三后四: the masked phone and the name identify
        return ("masked", f"{reg.phone[:3]}****{reg.phone[7:]}", reg.name)
    return ("phone", reg.phone)


def _same(row: dict, key: tuple) -> bool:
    """A ledger row is the customer's: the same phone, or the same masked phone and name."""
    phone, masked = row["联系电话"], "*" in row["联系电话"]
    if key[0] == "phone":
        return phone == key[1] if not masked else (phone == f"{key[1][:3]}****{key[1][7:]}" and row["客户姓名"] in
                                                   _names.get(key, ()))
    return f"{phone[:3]}****{phone[7:]}" == key[1] and row["客户姓名"] == key[2]


_names: dict[tuple, set] = {}


def summary(end: dt.date = END) -> dict:
    """rules.md "Customers, channels and attribution" and "Counting", applied to the plan as the copies
    sent on ``end`` (a report date) show it: what was registered, visited and sold by then."""
    regs = plan()
    accepted = [r for r in regs if not r.bad and sent(r, end)]
    merged: dict[tuple, dict] = {}  # rule 1: one registration per channel and customer
    for r in accepted:
        item = merged.setdefault((r.channel.name, _customer(r)), {"channel": r.channel.name, "date": r.registered,
                                                                 "visit": None, "deal": None, "amount": None,
                                                                 "prop": None})
        item["date"] = min(item["date"], r.registered)
        if r.visit and r.visit <= end:
            item["visit"] = r.visit
        if r.deal and r.deal <= end:
            item["deal"], item["amount"], item["prop"] = r.deal, r.deal_amount, r.deal_property
    ledger = sales_ledger(regs, end)  # tools.md §17: the sales office's deals and first visits govern
    covered = {row["楼盘"] for row in ledger}
    by_customer: dict[tuple, list[dict]] = defaultdict(list)
    for (_channel, key), item in merged.items():
        by_customer[key].append(item)
    _names.clear()
    for r in accepted:
        _names.setdefault(_customer(r), set()).add(r.name)
    channels = {c.name: {"channel": c.name, "type": c.type, "branch": c.branch, "registrations": 0, "customers": 0,
                         "visits": 0, "deals": 0, "deal_amount_wan": 0.0, "conflicts": 0} for c in CHANNELS}
    totals = Counter()
    amount = 0.0
    pairs = []
    for key, items in by_customer.items():
        for item in items:
            channels[item["channel"]]["registrations"] += 1
        visits = [i["visit"] for i in items if i["visit"]]
        mine = [row for row in ledger if _same(row, key)]
        office = [row["首次到访日期"] for row in mine if row["首次到访日期"]]
        first_visit = min(office) if office else min(visits) if visits else None  # rule 3: the ledger's visit
        walk = sorted((i for i in items if first_visit is None or i["date"] <= first_visit),
                      key=lambda i: (i["date"], i["channel"]))
        owner, window_end = None, None
        for item in walk:  # rule 2
            if owner is not None and item["date"] <= window_end:
                pairs.append([owner["channel"], item["channel"], key[1]])
                channels[item["channel"]]["conflicts"] += 1
                continue
            owner, window_end = item, item["date"] + dt.timedelta(days=PROTECTION_DAYS)
        if first_visit is not None and owner is not None and first_visit > window_end:
            owner = None  # rule 3: 自然到访
        deals = [i for i in items if i["deal"]]
        deal = next((i for i in deals if i is owner), deals[-1] if deals else None)
        sold: dict[str, dict] = {}  # the ledger's deals of the customer, one per 楼盘 (rooms summed)
        for row in mine:
            got = sold.setdefault(row["楼盘"], {"deal": row["认购日期"], "amount": 0.0})
            got["deal"] = min(got["deal"], row["认购日期"])
            got["amount"] += row["成交金额(元)"] / 10000
        if deal is not None and deal["prop"] in sold:  # 已确认: the ledger's date and amount
            deal = {**deal, **sold[deal["prop"]]}
        elif deal is None and sold:  # 案场确认，渠道未报: credited to the owner
            deal = min(sold.values(), key=lambda d: d["deal"])
        totals["customers"] += 1
        totals["visits"] += first_visit is not None
        totals["deals"] += deal is not None
        amount += deal["amount"] if deal else 0.0
        if owner is None:
            totals["natural_visits"] += first_visit is not None
            continue
        totals["owned_customers"] += 1
        row = channels[owner["channel"]]
        row["customers"] += 1
        row["visits"] += first_visit is not None
        if deal is not None:  # rule 4: the deal is the owner's
            row["deals"] += 1
            row["deal_amount_wan"] += deal["amount"]
    for row in channels.values():
        row["deal_amount_wan"] = round(row["deal_amount_wan"], 2)
    totals["registrations"] = len(merged)
    totals["conflicts"] = len(pairs)
    return {"totals": {**totals, "deal_amount_wan": round(amount, 2)},
            "by_channel": sorted(channels.values(), key=lambda r: r["channel"]), "conflict_pairs": sorted(pairs)}

"""One summary per 分所, cut from the whole run's attribution (``summarize --by-branch``, ``rollup``).

Attribution is never redone per branch: a customer registered by channels of
two branches is attributed once, over every branch's registrations (rule 1
crosses branches). A branch's summary keeps its own channels' registrations
and customers and the files that belong to it, and replaces every other
branch's channel name by :data:`OTHER`, so that nothing of another branch's
channels leaks into the report:

- a registration of this branch that lost to another branch's channel stays a
  registration and a 撞单 here, its winner shown as 「（其他分所渠道）」;
- a customer owned by another branch's channel counts once in this branch's
  客户数（去重） (its channels registered him) but his visit and deal count
  there, not here;
- a customer without an owner (自然到访) counts in every branch that
  registered him;
- files: a register by the branches of its accepted rows' channels, any other
  workbook by its header block's 分所 / 所属分所 / 主办分所, else its folder's
  name; a workbook of no branch (总部's agreements, screening, negotiations)
  is in no branch's report.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from qudao.analysis.attribution import Attribution, Conflict
from qudao.analysis.register import channel_info
from qudao.analysis.summary import Summary, build_summary
from qudao.records import FileReport

OTHER = "（其他分所渠道）"
BRANCH_LABELS = ("所属分所", "分所", "主办分所")


def channel_branches(att: Attribution) -> dict[str, str]:
    """channel → its branch (the most common over its rows, as in 按渠道); "" for none, so that a branch
    really named like one of qudao's labels (自然到访, （未填）) is a branch of its own."""
    return {channel: branch for channel, (_type, branch) in channel_info(att.registrations, missing="").items()}


def branches(att: Attribution) -> list[str]:
    """The branches that have channels, sorted (channels without a branch have no report)."""
    return sorted({b for b in channel_branches(att).values() if b})


def _mask(name: str | None, mine: set[str]) -> str | None:
    return name if name is None or name in mine else OTHER


def branch_attribution(att: Attribution, mine: set[str]) -> Attribution:
    """The part of ``att`` that belongs to the channels ``mine`` (see the module's rules)."""
    copies: dict[int, Any] = {}
    registrations = []
    for reg in att.registrations:
        if reg.channel not in mine:
            continue
        copy = dataclasses.replace(reg, winner=_mask(reg.winner, mine)) if reg.winner not in mine else reg
        copies[id(reg)] = copy
        registrations.append(copy)
    customers = []
    for cust in att.customers:
        regs = [copies[id(r)] for r in cust.registrations if id(r) in copies]
        if not regs:
            continue
        owner = cust.owner
        if owner is None:  # 自然到访 (or nobody's yet): counted where it was registered
            customers.append(dataclasses.replace(cust, registrations=regs,
                                                 deal_channel=_mask(cust.deal_channel, mine)))
        elif id(owner) in copies:
            customers.append(dataclasses.replace(cust, registrations=regs, owner=copies[id(owner)],
                                                 deal_channel=_mask(cust.deal_channel, mine)))
        else:  # another branch's customer: registered here, visited and bought there
            customers.append(dataclasses.replace(cust, registrations=regs, owner=None, natural=False, visit=None,
                                                 deal=None, deal_amount=None, deal_property=None, deal_channel=None))

    def cut(found: list[Conflict]) -> list[Conflict]:
        return [dataclasses.replace(c, winner=_mask(c.winner, mine), loser=_mask(c.loser, mine))
                for c in found if c.winner in mine or c.loser in mine]

    return Attribution(customers, registrations, cut(att.conflicts), cut(att.possible))


def report_branches(reports: list[FileReport], att: Attribution) -> dict[str, set[str]]:
    """report path → the branches it belongs to."""
    of_channel = channel_branches(att)
    from_rows: dict[str, set[str]] = {}
    for reg in att.registrations:
        branch = of_channel.get(reg.channel)
        for sub in reg.submissions:
            from_rows.setdefault(sub.source.file, set()).add(branch)
    out: dict[str, set[str]] = {}
    for report in reports:
        if report.path in from_rows:
            out[report.path] = from_rows[report.path]
        else:
            label = next((report.block.get(k) for k in BRANCH_LABELS if report.block.get(k)), None)
            out[report.path] = {str(label or report.folder or "")}
    return out


def branch_summary(summary: Summary, branch: str) -> Summary:
    """The summary of one branch, cut from the whole run's ``summary`` (its attribution is reused, and its
    agreement terms: the ledger is 总部's, in no branch, yet its terms apply to every branch's channels;
    the ledger's own findings stay in the whole run's report)."""
    from qudao.analysis.kinds import kind_rollups
    from qudao.analysis.terms import Terms

    whole = summary.registers.terms if summary.registers else None
    terms = dataclasses.replace(whole, findings=[]) if whole is not None else Terms(summary.settings)
    att = summary.registers.attribution if summary.registers else Attribution([], [], [], [])
    mine = {c for c, b in channel_branches(att).items() if b == branch}
    belongs = report_branches(summary.reports, att)
    reports = [r for r in summary.reports if branch in belongs[r.path]]
    cut = build_summary(reports, summary.settings, summary.period, summary.as_of, summary.show_phones,
                        terms=terms, att=branch_attribution(att, mine), submissions=[])
    cut.kinds = kind_rollups([r for r in reports if r.current], summary.settings, summary.as_of)
    cut.title = f"{summary.title} · {branch}"
    return cut

"""Kinds by their Chinese names: ids, titles and short names everywhere a kind is typed; suggestions."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, invoke
from openpyxl import load_workbook

from qudao.errors import UsageError
from qudao.schema import KIND_IDS, get_kind, kind_names, resolve_kind

SHORT_NAMES = {
    "register": ("登记表", "客户登记表", "意向登记表"),
    "summary": ("汇总表", "汇总分析表"),
    "plan": ("计划表", "工作计划", "铺排表"),
    "handoff": ("分所对接表", "工作对接表"),
    "feedback": ("反馈表", "进程反馈表"),
    "negotiation": ("谈判表", "谈判跟进表"),
    "screening": ("筛选表",),
    "expansion": ("拓展表", "拓展流程表"),
    "agencies": ("中介表", "中介对接表"),
    "affiliates": ("关联企业表", "关联企业"),
    "survey": ("调查表", "客户调查"),
    "event": ("推介会", "推介会方案"),
    "agreements": ("协议台账", "台账"),
    "dev-process": ("洽谈流程表", "开发商洽谈表"),
    "qa": ("百问",),
}


def test_every_kind_declares_its_short_names():
    assert {k: get_kind(k).names for k in SHORT_NAMES} == SHORT_NAMES


def test_every_name_resolves_to_its_own_kind():
    names = kind_names()  # raises when one name would mean two kinds
    assert len(names) == sum(2 + len(get_kind(k).names) for k in KIND_IDS)
    for kind_id in KIND_IDS:
        kind = get_kind(kind_id)
        for name in (kind.id, kind.title, *kind.names):
            assert resolve_kind(name) == kind_id, name
            assert get_kind(name) is kind


@pytest.mark.parametrize("typed, kind_id", [
    ("Register", "register"), ("dev_process", "dev-process"), (" 登记表 ", "register"), ("ＱＡ", "qa"),
])
def test_names_compare_like_headers(typed, kind_id):
    assert resolve_kind(typed) == kind_id


@pytest.mark.parametrize("typed, message", [
    ("regster", "未知的表格类型「regster」；你是不是想用 register（意向客户登记表）？"),
    ("登记", "未知的表格类型「登记」；你是不是想用 register（意向客户登记表）？"),
    ("客户登记", "未知的表格类型「客户登记」；你是不是想用 register（意向客户登记表）？"),
    ("plna", "未知的表格类型「plna」；你是不是想用 plan（本地工作计划铺排表）？"),
    ("对接表", "未知的表格类型「对接表」；你是不是想用 handoff（分所工作对接表）、agencies（中介机构对接表）"
               "或 affiliates（关联企业对接表）？"),
    ("xyz", "未知的表格类型「xyz」；可用：register、summary、plan、handoff、feedback、negotiation、screening、"
            "expansion、agencies、affiliates、survey、event、agreements、dev-process、qa、targets、scores、sales、verify（qudao list 查看名称和简称）"),
])
def test_a_mistyped_kind_gets_a_suggestion(typed, message):
    with pytest.raises(UsageError) as caught:
        resolve_kind(typed)
    assert caught.value.message == message


@pytest.mark.parametrize("args, message", [
    (("new", "regster"), "错误：未知的表格类型「regster」；你是不是想用 register（意向客户登记表）？\n"),
    (("new", "汇总表"), "错误：渠道汇总分析表由 qudao summarize 生成，不需要手工填写\n"),
    (("validate", ROOT / "samples", "--kind", "登记"), "错误：未知的表格类型「登记」；你是不是想用 register（意向客户登记表）？\n"),
    (("fill", "反馈", "--from", ROOT / "README.md", "-o", "x.xlsx"),
     "错误：未知的表格类型「反馈」；你是不是想用 feedback（工作进程反馈表）？\n"),
])
def test_commands_say_which_kind_was_meant(runner, args, message):
    result = invoke(runner, *args)
    assert (result.exit_code, result.output) == (2, message)


@pytest.mark.slow
@pytest.mark.parametrize("typed", ["意向客户登记表", "登记表"])
def test_new_by_title_and_short_name(runner, tmp_path, typed):
    target = tmp_path / "x.xlsx"
    result = invoke(runner, "new", typed, "-o", target)
    assert (result.exit_code, result.output) == (0, f"已生成 意向客户登记表：{target}\n")
    assert load_workbook(target).sheetnames[0] == "意向客户登记"


def test_validate_kind_by_short_name(runner, tmp_path):
    from conftest import make_register

    path = make_register(tmp_path / "x.xlsx", [[1, "2026-11-03", "张三", "13812345678", "A"]],
                         header=["序号", "登记日期", "客户姓名", "联系电话", "意向等级"])
    data = json.loads(invoke(runner, "validate", path, "--kind", "登记表", "--format", "json",
                             "--as-of", "2026-11-27").output)
    assert (data["files"][0]["kind"], data["totals"]["rows_accepted"]) == ("register", 1)


LIST = """\
代号         版本  名称                          简称
register     v1    意向客户登记表                登记表、客户登记表、意向登记表
summary      v1    渠道汇总分析表                汇总表、汇总分析表 *
plan         v1    本地工作计划铺排表            计划表、工作计划、铺排表
handoff      v1    分所工作对接表                分所对接表、工作对接表
feedback     v2    工作进程反馈表                反馈表、进程反馈表
negotiation  v1    楼盘谈判跟进汇总表            谈判表、谈判跟进表
screening    v1    楼盘筛选表                    筛选表
expansion    v1    渠道拓展标准流程管理表        拓展表、拓展流程表
agencies     v1    中介机构对接表                中介表、中介对接表
affiliates   v1    关联企业对接表                关联企业表、关联企业
survey       v1    客户调查表                    调查表、客户调查
event        v1    推介会执行方案                推介会、推介会方案
agreements   v2    渠道合作协议台账              协议台账、台账
dev-process  v1    开发商合作洽谈标准流程管理表  洽谈流程表、开发商洽谈表
qa           v1    洽谈百问                      百问
targets      v1    渠道目标表                    目标表、考核目标
scores       v1    渠道考核评分表                评分表、考核评分
sales        v1    案场成交台账                  成交台账、案场台账、案场成交表
verify       v1    异常核实表                    核实表、异常核实

* 由 qudao summarize 生成，不需要新建。
类型写代号、名称或简称都可以：qudao new 登记表 与 qudao new register 相同。
计划表用 qudao new-plan 排期；工作表名称见 qudao list --format json。
"""


def test_list_shows_short_names_in_80_columns(runner):
    from qudao.text import display_width

    result = invoke(runner, "list")
    assert (result.exit_code, result.output) == (0, LIST)
    assert max(display_width(line) for line in LIST.splitlines()) <= 80
    data = json.loads(invoke(runner, "list", "--format", "json").output)
    assert data[0]["names"] == ["登记表", "客户登记表", "意向登记表"]

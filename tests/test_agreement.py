"""``qudao agreement``: the complete agreement text, or nothing but the list of what is missing."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import AS_OF, ROOT, check, invoke, soffice_convert

D = dt.date

FULL = {
    "协议编号": "QD-9", "渠道名称": "拉萨雪域物业服务有限公司", "渠道类型": "物业", "合作区域": "拉萨市城关区",
    "合作楼盘": "麓湖花园、天府云城", "签订日期": D(2026, 9, 28), "生效日期": D(2026, 10, 1), "到期日期": D(2027, 9, 30),
    "佣金点位(%)": 1.8, "结佣周期(天)": 45, "是否独家": "是", "保护期(天)": 60, "状态": "有效", "我方签约人": "李强",
    "乙方地址": "拉萨市城关区北京中路 88 号", "乙方联系人": "次仁", "乙方电话": "13908910001",
    "收款户名": "拉萨雪域物业服务有限公司", "开户行": "中国农业银行拉萨城关支行", "收款账号": "6228 4801 2345 6789 012",
    "目标周期": "季度", "登记目标(人)": 30, "到访目标(人)": 10, "成交目标(套)": 2, "成交额目标(万元)": 300,
    "合作目标": "每季度联合举办推介会 1 场", "备注": "盖章件已寄回总部",
}
V1_HEADERS = ["协议编号", "渠道名称", "渠道类型", "合作区域", "合作楼盘", "签订日期", "生效日期", "到期日期", "佣金点位(%)",
              "结佣周期(天)", "是否独家", "保护期(天)", "状态", "我方签约人", "备注"]
PARTY_A = {"party_a": "成都锦程房地产营销策划有限公司", "party_a_address": "成都市高新区天府大道中段 666 号",
           "party_a_contact": "渠道拓展部 王芳", "party_a_phone": "028-8561 2266"}
CLAUSES = ["协议双方", "合作范围与区域", "合作目标与销售目标", "合作期限、续签与终止", "合作产品、价格与销售政策",
           "客户登记、保护期与归属", "客户报备与信息报送", "佣金点位、结算与支付", "培训与营销支持", "考核与奖惩",
           "保密与知识产权", "违约责任（含跨区域销售）", "争议解决", "签署"]
PLACEHOLDERS = ("待填", "草稿", "＿", "甲方公司全称", "另行约定", "另行书面确定")


def ledger(path: Path, rows: list[dict], headers: list[str] | None = None, version: int | None = 2) -> Path:
    """A 协议台账 as a plain workbook: title, header row (row 2), rows from row 3, and a ``_qudao`` sheet."""
    from openpyxl import Workbook

    from qudao.schema import get_kind

    headers = headers or [c.header for c in get_kind("agreements").main.columns]
    wb = Workbook()
    ws = wb.active
    ws.title = "协议台账"
    ws["A1"] = "渠道合作协议台账"
    for c, header in enumerate(headers, start=1):
        ws.cell(row=2, column=c, value=header)
    for r, row in enumerate(rows, start=3):
        for c, header in enumerate(headers, start=1):
            if row.get(header) is not None:
                ws.cell(row=r, column=c, value=row[header])
    if version is not None:
        meta = wb.create_sheet("_qudao")
        for r, (k, v) in enumerate((("kind", "agreements"), ("version", version)), start=1):
            meta.cell(row=r, column=1, value=k)
            meta.cell(row=r, column=2, value=v)
    wb.save(path)
    return path


def toml(path: Path, values: dict[str, str] = PARTY_A) -> Path:
    lines = ["[agreement]"] + [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in values.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(runner, tmp_path: Path, *args: str, config: Path | None = None):
    config = config or toml(tmp_path / "qudao.toml")
    return invoke(runner, "agreement", *args, "--config", config, "--as-of", AS_OF)


def test_the_complete_text_holds_every_clause_and_every_value_of_the_row(runner, tmp_path):
    register = ledger(tmp_path / "台账.xlsx", [FULL])
    out, md = tmp_path / "协议.html", tmp_path / "协议.md"
    result = run(runner, tmp_path, register, "--id", "QD-9", "-o", out, "--md", md)
    assert result.exit_code == 0, result.output
    assert result.output == f"已生成：{out}\n已生成：{md}\n"
    html, text = out.read_text(encoding="utf-8"), md.read_text(encoding="utf-8")
    assert re.findall(r"<h2>第[一二三四五六七八九十]+条　(.+?)</h2>", html) == CLAUSES
    assert re.findall(r"^## 第[一二三四五六七八九十]+条　(.+)$", text, re.M) == CLAUSES
    for value in (
            "协议编号：QD-9", "签订日期：2026 年 9 月 28 日",
            "<tr><th>甲方：</th><td>成都锦程房地产营销策划有限公司</td></tr>",
            "<tr><th>地址：</th><td>成都市高新区天府大道中段 666 号</td></tr>",
            "<tr><th>联系人：</th><td>渠道拓展部 王芳　　电话：028-8561 2266</td></tr>",
            "<tr><th>签约代表：</th><td>李强</td></tr>",
            "<tr class=\"gap\"><th>乙方：</th><td>拉萨雪域物业服务有限公司（物业）</td></tr>",
            "<tr><th>地址：</th><td>拉萨市城关区北京中路 88 号</td></tr>",
            "<tr><th>联系人：</th><td>次仁　　电话：13908910001</td></tr>",
            "合作区域：拉萨市城关区。合作楼盘：麓湖花园、天府云城。", "本协议为独家合作。",
            "双方另约定：每季度联合举办推介会 1 场。", "乙方每季度应完成以下目标：",
            "<tr><td>登记意向客户</td><td>不少于 30 人</td></tr>", "<tr><td>带客户到访</td><td>不少于 10 人</td></tr>",
            "<tr><td>成交</td><td>不少于 2 套</td></tr>", "<tr><td>成交金额</td><td>不少于 300 万元</td></tr>",
            "本协议自 2026 年 10 月 1 日 起生效，至 2027 年 9 月 30 日 止。", "保护期为自登记之日起 60 天。",
            "于每周五前向甲方报送累计登记表", "乙方带客户到访前，须先完成登记（报备）",
            "佣金按成交金额（买卖合同载明的房屋总价）的 1.8% 计算。甲方在成交日期起 45 天内",
            "发票抬头为“成都锦程房地产营销策划有限公司”",
            "<tr><th>户名</th><td>拉萨雪域物业服务有限公司</td></tr>", "<tr><th>开户行</th><td>中国农业银行拉萨城关支行</td></tr>",
            "<tr><th>账号</th><td class=\"account\">6228 4801 2345 6789 012</td></tr>",
            "甲方按季度、半年度和年度对乙方进行考核", "总分 = 定量得分 × 70% + 定性得分 × 30%（满分 100 分）", "总分 90 分及以上的，为优秀；60 分及以上的，为合格",
            "连续两个同类考核期（如连续两个季度）考核不合格，或年度考核不合格的，甲方可调整合作",
            "甲方（盖章）：成都锦程房地产营销策划有限公司", "乙方（盖章）：拉萨雪域物业服务有限公司",
            "@page { size: A4"):
        assert value in html, value
    for value in ("协议编号：QD-9　　签订日期：2026 年 9 月 28 日", "- 甲方：成都锦程房地产营销策划有限公司",
                  "- 联系人：渠道拓展部 王芳　电话：028-8561 2266", "- 签约代表：李强", "- 乙方：拉萨雪域物业服务有限公司（物业）",
                  "- 地址：拉萨市城关区北京中路 88 号", "- 联系人：次仁　电话：13908910001", "| 登记意向客户 | 不少于 30 人 |",
                  "| 成交金额 | 不少于 300 万元 |", "| 账号 | 6228 4801 2345 6789 012 |", "| 开户行 | 中国农业银行拉萨城关支行 |",
                  "佣金按成交金额的 1.8% 计算，甲方在成交日期起 45 天内", "保护期为自登记之日起 60 天"):
        assert value in text, value
    for word in PLACEHOLDERS + ("盖章件已寄回总部",):  # 备注 is the ledger's own note, never the text's
        assert word not in html and word not in text, word


def test_every_input_value_is_escaped(runner, tmp_path):
    evil = '<b>"x"</b> & <script>'
    row = {**FULL, **{c: f"{c}{evil}" for c in ("协议编号", "渠道名称", "合作区域", "合作楼盘", "乙方地址", "乙方联系人",
                                                 "收款户名", "开户行", "合作目标", "我方签约人")}}
    register = ledger(tmp_path / "台账.xlsx", [row])
    config = toml(tmp_path / "q.toml", {k: f"{k}{evil}" for k in PARTY_A})
    out, md = tmp_path / "a.html", tmp_path / "a.md"
    result = run(runner, tmp_path, register, "--id", row["协议编号"], "-o", out, "--md", md, config=config)
    assert result.exit_code == 0, result.output
    html, text = out.read_text(encoding="utf-8"), md.read_text(encoding="utf-8")
    assert "<b>" not in html and "<script>" not in html and "<b>" not in text and "<script>" not in text
    for name in [*(c for c in row if str(row[c]).endswith(evil)), *PARTY_A]:
        assert f"{name}&lt;b&gt;&#34;x&#34;&lt;/b&gt; &amp; &lt;script&gt;" in html, name
        md_name = name.replace("_", "\\_")  # Markdown is escaped like HTML, and its own marks too
        assert f"{md_name}&lt;b&gt;\"x\"&lt;/b&gt; &amp; &lt;script&gt;" in text, name
    custom = tmp_path / "my.j2"
    custom.write_text("<p>{{ a.channel }} / {{ a.party_a_phone }} / {{ a.protection_days }}</p>", encoding="utf-8")
    out2 = tmp_path / "custom.html"
    assert run(runner, tmp_path, register, "--id", row["协议编号"], "-o", out2, "--template", custom,
               config=config).exit_code == 0
    assert out2.read_text(encoding="utf-8") == ("<p>渠道名称&lt;b&gt;&#34;x&#34;&lt;/b&gt; &amp; &lt;script&gt; / "
                                                "party_a_phone&lt;b&gt;&#34;x&#34;&lt;/b&gt; &amp; &lt;script&gt; / 60</p>")


def test_missing_values_are_named_by_cell_and_nothing_is_written(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no qudao.toml here
    row = {**{k: v for k, v in FULL.items() if k not in ("乙方地址", "开户行", "签订日期", "目标周期")},
           "收款账号": 6228480123456789012}  # typed as a number: the last digits are gone
    register = ledger(tmp_path / "台账.xlsx", [FULL | {"协议编号": "QD-1"}, row])
    out, md = tmp_path / "协议.html", tmp_path / "协议.md"
    before = sorted(p.name for p in tmp_path.iterdir())
    result = invoke(runner, "agreement", register, "--id", "QD-9", "-o", out, "--md", md, "--as-of", AS_OF)
    assert result.exit_code == 1
    assert result.output == (
        "协议 QD-9 的文本缺少 9 项内容，未生成协议文本：\n"
        "  - 甲方全称：未设置，应填在 qudao.toml 的 [agreement] party_a\n"
        "  - 甲方地址：未设置，应填在 qudao.toml 的 [agreement] party_a_address\n"
        "  - 甲方联系人：未设置，应填在 qudao.toml 的 [agreement] party_a_contact\n"
        "  - 甲方联系电话：未设置，应填在 qudao.toml 的 [agreement] party_a_phone\n"
        "  - 乙方地址：未填，应填在 台账.xlsx 协议台账!O4（「乙方地址」列）\n"
        "  - 签订日期：未填，应填在 台账.xlsx 协议台账!F4（「签订日期」列）\n"
        "  - 开户行：未填，应填在 台账.xlsx 协议台账!S4（「开户行」列）\n"
        "  - 收款账号：值有误（「收款账号」是以数字保存的，Excel 只保留 15 位有效数字，后面的位数已经丢失：请把单元格设为文本格式，"
        "再照银行卡或开户许可证重新填写完整账号（当前为“6.22848012345679e+18”）），应填在 台账.xlsx 协议台账!T4（「收款账号」列）\n"
        "  - 目标周期：未填（目标是每月、每季度还是每年的），应填在 台账.xlsx 协议台账!U4（「目标周期」列）\n"
        "  （没有找到 qudao.toml：可用 qudao config init 生成，填好后放在当前文件夹或用 --config 指定）\n"
        "补全后重新运行；需要先打印草稿核对或请对方填写的，加 --draft。\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # neither the HTML nor the Markdown
    # no goal at all; 甲方 set but blank in qudao.toml counts as not set
    config = toml(tmp_path / "q.toml", {**PARTY_A, "party_a": "  "})
    bare = {k: v for k, v in FULL.items() if k not in ("目标周期", "登记目标(人)", "到访目标(人)", "成交目标(套)",
                                                       "成交额目标(万元)", "合作目标")}
    register2 = ledger(tmp_path / "台账2.xlsx", [bare])
    result = run(runner, tmp_path, register2, "--id", "QD-9", "-o", out, config=config)
    assert result.exit_code == 1 and not out.exists()
    assert result.output.splitlines()[:3] == [
        "协议 QD-9 的文本缺少 2 项内容，未生成协议文本：",
        "  - 甲方全称：未设置，应填在 qudao.toml 的 [agreement] party_a",
        "  - 合作目标/销售目标：一项也没有填，至少要填一项，应填在 台账2.xlsx 协议台账 的 V3、W3、X3、Y3、Z3"
        "（登记、到访、成交套数、成交额目标或合作目标）"]
    assert f"  （当前配置文件：{config}）" in result.output


def test_a_value_with_an_error_is_missing_never_replaced_by_the_blank_term(runner, tmp_path):
    row = FULL | {"保护期(天)": 0, "是否独家": "可能", "生效日期": D(2027, 10, 1), "成交目标(套)": "两套"}
    register = ledger(tmp_path / "台账.xlsx", [row])
    result = run(runner, tmp_path, register, "--id", "QD-9", "-o", tmp_path / "a.html")
    assert result.exit_code == 1 and not (tmp_path / "a.html").exists()
    assert result.output.splitlines() == [
        "协议 QD-9 的文本缺少 4 项内容，未生成协议文本：",
        "  - 到期日期：值有误（「到期日期」（2027-09-30）早于「生效日期」（2027-10-01）），应填在 台账.xlsx 协议台账!H3（「到期日期」列）",
        "  - 是否独家：值有误（「是否独家」应为以下之一：是、否（当前为“可能”）），应填在 台账.xlsx 协议台账!K3（「是否独家」列）",
        "  - 保护期(天)：值有误（「保护期(天)」应在 1–3650 之间（当前为 0）），应填在 台账.xlsx 协议台账!L3（「保护期(天)」列）",
        "  - 成交目标(套)：值有误（「成交目标(套)」应为数字（当前为“两套”）），应填在 台账.xlsx 协议台账!X3（「成交目标(套)」列）",
        "补全后重新运行；需要先打印草稿核对或请对方填写的，加 --draft。"]


def test_a_draft_marks_values_with_errors_too(runner, tmp_path):
    row = FULL | {"保护期(天)": 0, "是否独家": "可能", "成交目标(套)": "两套"}
    out = tmp_path / "a.html"
    result = run(runner, tmp_path, ledger(tmp_path / "台账.xlsx", [row]), "--id", "QD-9", "-o", out, "--draft")
    assert result.exit_code == 1 and "缺少 3 项内容，已生成草稿" in result.output
    html = out.read_text(encoding="utf-8")
    for text in ('本协议是否为独家合作：<span class="todo">（待填：是否独家）</span>。',
                 '保护期为自登记之日起 <span class="todo">（待填：保护期(天)）</span> 天',
                 '<tr><td>成交</td><td><span class="todo">（待填：成交目标(套)）</span></td></tr>'):
        assert text in html, text
    assert "30 天" not in html and "非独家" not in html


def test_party_a_is_never_the_old_placeholder(runner, tmp_path):
    from qudao.config import KEYS, Settings

    assert Settings().party_a == "" and Settings().party_a_address == ""
    assert {k for k in KEYS if k.startswith("agreement.")} == {
        "agreement.party_a", "agreement.party_a_address", "agreement.party_a_contact", "agreement.party_a_phone"}
    config = tmp_path / "qudao.toml"
    assert invoke(runner, "config", "init", "-o", config).exit_code == 0  # the written defaults load
    register = ledger(tmp_path / "台账.xlsx", [FULL])
    result = invoke(runner, "agreement", register, "--id", "QD-9", "-o", tmp_path / "a.html", "--config", config)
    assert result.exit_code == 1 and "甲方全称：未设置，应填在 qudao.toml 的 [agreement] party_a" in result.output
    assert "（甲方公司全称）" not in config.read_text(encoding="utf-8") and not (tmp_path / "a.html").exists()
    bad = tmp_path / "bad.toml"
    bad.write_text("[agreement]\nparty_a = 3\n", encoding="utf-8")
    result = invoke(runner, "agreement", register, "--id", "QD-9", "--config", bad)
    assert result.exit_code == 2 and "配置项 agreement.party_a 无效：应为文字（用引号括起来），当前为 3" in result.output


def test_draft_marks_every_missing_value_and_says_it_is_a_draft(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    row = {k: v for k, v in FULL.items() if k not in ("乙方电话", "收款户名", "开户行", "收款账号")}
    register = ledger(tmp_path / "台账.xlsx", [row])
    result = run(runner, tmp_path, register, "--id", "QD-9", "--draft", "--md", "草稿.md")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "协议 QD-9 的文本缺少 4 项内容，已生成草稿：",
        "  - 乙方电话：未填，应填在 台账.xlsx 协议台账!Q3（「乙方电话」列）",
        "  - 收款户名：未填，应填在 台账.xlsx 协议台账!R3（「收款户名」列）",
        "  - 开户行：未填，应填在 台账.xlsx 协议台账!S3（「开户行」列）",
        "  - 收款账号：未填，应填在 台账.xlsx 协议台账!T3（「收款账号」列）",
        "已生成草稿（不作签署文本，补全后重新生成）：渠道合作协议-QD-9-草稿.html",
        "已生成草稿（不作签署文本，补全后重新生成）：草稿.md"]
    html = (tmp_path / "渠道合作协议-QD-9-草稿.html").read_text(encoding="utf-8")
    assert "<h1>渠道合作协议（草稿）</h1>" in html and '<div class="watermark" aria-hidden="true">草稿</div>' in html
    assert ("草稿：标为「待填」的 4 项内容尚未补全（乙方电话、收款户名、开户行、收款账号），本稿仅供核对和收集信息，"
            "不作签署文本。") in html
    for what in ("乙方电话", "收款户名", "开户行", "收款账号"):
        assert f'<span class="todo">（待填：{what}）</span>' in html and f"（待填：{what}）" in (
            tmp_path / "草稿.md").read_text(encoding="utf-8")
    assert html.count("（待填：") == 4 and "次仁" in html
    # a complete row with --draft is simply the complete text
    complete = run(runner, tmp_path, ledger(tmp_path / "全.xlsx", [FULL]), "--id", "QD-9", "--draft")
    assert complete.exit_code == 0 and complete.output == "已生成：渠道合作协议-QD-9.html\n"
    assert "草稿" not in (tmp_path / "渠道合作协议-QD-9.html").read_text(encoding="utf-8")


def test_a_version_1_ledger_still_reads(runner, tmp_path):
    row = {k: v for k, v in FULL.items() if k in V1_HEADERS}
    register = ledger(tmp_path / "旧台账.xlsx", [row], headers=V1_HEADERS, version=1)
    report = check(register)
    assert report.kind == "agreements" and report.version == 1 and report.findings == []
    assert report.rows_accepted == 1
    assert report.tables["协议台账"].rows[0].values == row
    result = run(runner, tmp_path, register, "--id", "QD-9", "-o", tmp_path / "a.html")
    assert result.exit_code == 1 and not (tmp_path / "a.html").exists()
    assert ("  - 乙方地址：未填，应填在 旧台账.xlsx 协议台账 第 3 行的「乙方地址」列（台账还没有这一列：请在表头加上，"
            "或用 qudao new agreements 生成新版台账）") in result.output.splitlines()
    assert "缺少 7 项内容" in result.output  # 地址, 联系人, 电话, 户名, 开户行, 账号, 目标


def test_payee_and_state_warnings(runner, tmp_path):
    register = ledger(tmp_path / "台账.xlsx", [FULL | {"收款户名": "次仁", "状态": "终止"}])
    result = run(runner, tmp_path, register, "--id", "QD-9", "-o", tmp_path / "a.html")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "注意：台账中该协议的状态为“终止”，生成的文本仅供存档",
        "注意：收款户名“次仁”与乙方全称“拉萨雪域物业服务有限公司”不一致：佣金应付到乙方自己的账户，请核实（确需付给他人的，"
        "应有乙方盖章的书面委托）",
        f"已生成：{tmp_path / 'a.html'}"]


def test_usage_errors(runner, tmp_path):
    register = ledger(tmp_path / "台账.xlsx", [FULL])
    missing = run(runner, tmp_path, register, "--id", "QD-404", "-o", tmp_path / "x.html")
    assert missing.exit_code == 2 and "台账里没有协议编号“QD-404”；已有：QD-9" in missing.output
    broken = tmp_path / "broken.j2"
    broken.write_text("{{ a.nothing_like_this }}", encoding="utf-8")
    result = run(runner, tmp_path, register, "--id", "QD-9", "-o", tmp_path / "x.html", "--template", broken)
    assert result.exit_code == 2 and f"模板 {broken} 无法使用：UndefinedError" in result.output
    assert not (tmp_path / "x.html").exists()
    (tmp_path / "x.html").write_text("mine", encoding="utf-8")
    again = run(runner, tmp_path, register, "--id", "QD-9", "-o", tmp_path / "x.html")
    assert again.exit_code == 2 and "已存在" in again.output
    assert (tmp_path / "x.html").read_text(encoding="utf-8") == "mine"


def test_the_sample_ledger_renders_a_complete_agreement(runner, tmp_path):
    register = ROOT / "samples" / "inbox" / "总部" / "渠道合作协议台账.xlsx"
    config = ROOT / "samples" / "qudao.toml"
    out = tmp_path / "协议.html"
    result = invoke(runner, "agreement", register, "--id", "QD-2026-001", "-o", out, "--config", config, "--as-of", AS_OF)
    assert result.exit_code == 0 and result.output == f"已生成：{out}\n"
    html = out.read_text(encoding="utf-8")
    for value in ("拉萨布达拉物业服务有限公司（物业）", "拉萨市城关区北京中路 18 号", "6228 4801 2345 6789 000", "乙方每季度应完成以下目标",
                  "成都锦程房地产营销策划有限公司"):
        assert value in html, value
    assert not any(word in html for word in PLACEHOLDERS)
    pending = invoke(runner, "agreement", register, "--id", "QD-2026-010", "-o", tmp_path / "b.html", "--config", config,
                     "--as-of", AS_OF)
    assert pending.exit_code == 1 and "缺少 3 项内容" in pending.output and "协议台账!T12" in pending.output


@pytest.mark.slow
def test_the_ledger_template_keeps_accounts_as_text_and_prints_in_three_pages(runner, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "台账.xlsx"
    assert invoke(runner, "new", "agreements", "-o", path).exit_code == 0
    wb = load_workbook(path)
    ws = wb["协议台账"]
    header_row = next(r for r in range(1, 10) if ws.cell(row=r, column=1).value == "协议编号")
    headers = [c.value for c in ws[header_row]]
    account = headers.index("收款账号") + 1
    assert ws.cell(row=header_row + 1, column=account).number_format == "@"
    assert wb["_qudao"]["B2"].value == 2
    # four A4 pages across at 65 %, each led by 协议编号 and 渠道名称: the term's dates, the terms and 乙方,
    # the payee account, the targets (issue 25: readable, never split inside a group)
    assert ws.print_title_cols == "$A:$B" and ws.page_setup.scale == 65
    assert [b.id for b in ws.col_breaks.brk] == [headers.index("到期日期") + 1, headers.index("乙方电话") + 1, account]
    # a long account typed as a number into the template's own file: named by cell, the row rejected
    ws.cell(row=header_row + 1, column=1, value="QD-1")
    ws.cell(row=header_row + 1, column=2, value="甲")
    ws.cell(row=header_row + 1, column=headers.index("生效日期") + 1, value=dt.datetime(2026, 10, 1))
    ws.cell(row=header_row + 1, column=headers.index("到期日期") + 1, value=dt.datetime(2027, 9, 30))
    ws.cell(row=header_row + 1, column=account, value=6228480123456789012)
    wb.save(path)
    report = check(path)
    assert [(f.code, f.cell) for f in report.findings] == [("value.type", f"T{header_row + 1}")]


@pytest.mark.slow
@pytest.mark.libreoffice
def test_the_sample_ledger_prints_on_a4(tmp_path):
    import subprocess

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pdf = soffice_convert(ROOT / "samples" / "inbox" / "总部" / "渠道合作协议台账.xlsx", "pdf", tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    # four pages across (issue 25): the term's dates; the terms and 乙方; the payee account; the targets
    assert "到期日期" in pages[0] and "我方签约人" in pages[1] and "乙方电话" in pages[1]
    assert "收款账号" in pages[2] and "成交额目标(万元)" in pages[3] and "收款账号" not in pages[3]
    assert all("协议编号" in page and "渠道名称" in page for page in pages[:4])  # repeated on every page

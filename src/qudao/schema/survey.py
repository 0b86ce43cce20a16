"""客户调查表 (tools.md §11), e.g. 西藏本地客户调查表."""

from __future__ import annotations

from qudao.schema.model import PURPOSES, Column, Kind, Table

AGE_BANDS = ("25岁以下", "25-34岁", "35-44岁", "45-54岁", "55岁及以上")
JOBS = ("公务员", "事业单位", "企业职员", "个体经营", "自由职业", "退休", "其他")
INCOMES = ("10万以下", "10-20万", "20-50万", "50万以上")
INTENTIONS = ("有", "无", "考虑中")
AWARENESS = ("亲友介绍", "单位", "协会商会", "旅行社", "网络", "其他")

COLUMNS = (
    Column("序号", "int", seq=True, width=6),
    Column("调查日期", "date", required=True, width=12, example="2026-10-12"),
    Column("调查地点", "text", width=12, example="拉萨八廓街"),
    Column("受访者姓名", "text", aliases=("姓名",), width=10),
    Column("性别", "enum", enum=("男", "女"), synonyms={"男性": "男", "女性": "女"}, width=6),
    Column("年龄段", "enum", enum=AGE_BANDS, width=10, example="35-44岁"),
    Column("职业", "enum", enum=JOBS, width=9, example="公务员"),
    Column("家庭年收入", "enum", enum=INCOMES, width=10, example="20-50万"),
    Column("购房意向", "enum", required=True, enum=INTENTIONS, width=9, example="考虑中"),
    Column("意向城市", "text", width=9, example="成都"),
    Column("购房目的", "enum", enum=PURPOSES, width=9),
    Column("预算(万元)", "money", aliases=("预算",), min=0, min_exclusive=True, max=100_000, width=10),
    Column("了解渠道", "enum", enum=AWARENESS, width=10, example="亲友介绍"),
    Column("联系电话", "phone", width=15),
    Column("调查人", "text", width=9),
)

KIND = Kind(
    id="survey",
    title="客户调查表",
    names=("调查表", "客户调查"),
    version=1,
    description="本地客户调查，每行一位受访者：年龄、职业、收入、购房意向和了解渠道。",
    tables=(Table(sheet="调查记录", columns=COLUMNS, title="客户调查表", blank_rows=300),),
)

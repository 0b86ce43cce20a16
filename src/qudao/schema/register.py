"""意向客户登记表 — the register a channel fills in (tools.md §1)."""

from __future__ import annotations

from qudao.schema.model import (
    CHANNEL_TYPES,
    GRADES,
    PURPOSES,
    Column,
    Field,
    Kind,
    Table,
)

GENDERS = ("男", "女")

BLOCK = (
    Field("渠道名称", hint="签约渠道的全称，与协议一致", example="拉萨雪域物业服务有限公司"),
    Field("渠道类型", type="enum", enum=CHANNEL_TYPES, example="物业"),
    Field("所属分所", hint="负责该渠道的分所", example="拉萨分所"),
    Field("渠道联系人", example="王芳"),
    Field("联系电话", type="phone", aliases=("渠道电话",), example="13900000000"),
    Field("报送日期", type="date", aliases=("填报日期", "报送时间"), hint="本表报送总部的日期", example="2026-11-27"),
)

COLUMNS = (
    Column("序号", "int", seq=True, width=6, hint="行号，可不填"),
    Column("登记日期", "date", required=True, aliases=("报备日期", "登记时间", "报备时间"), future_check=True,
           width=12, hint="渠道向我方报备该客户的日期", example="2026-11-03",
           form_aliases=("提交时间", "提交答卷时间", "填写时间", "结束答题时间")),
    Column("客户姓名", "text", required=True, aliases=("姓名", "客户", "客户名称"), width=10, example="张三"),
    Column("联系电话", "phone", required=True, aliases=("电话", "手机", "手机号", "客户电话", "手机号码", "联系方式", "电话号码", "客户手机", "联系手机"),
           width=15, hint="11位手机号；可填前三后四隐号，如 138****5678", example="13812345678"),
    Column("性别", "enum", enum=GENDERS, synonyms={"男性": "男", "女性": "女", "男士": "男", "女士": "女", "先生": "男"}, width=6, example="男"),
    Column("常住城市", "text", aliases=("所在城市", "城市"), width=10, example="拉萨"),
    Column("意向楼盘", "text", aliases=("意向项目",), width=14, example="麓湖花园"),
    Column("意向面积(㎡)", "number", aliases=("面积", "意向面积"), min=10, max=2000, width=10,
           hint="10–2000 平方米", example="120"),
    Column("预算(万元)", "money", aliases=("预算",), min=0, min_exclusive=True, max=100_000, width=10, hint="大于 0，单位万元",
           example="150"),
    Column("购房目的", "enum", enum=PURPOSES, width=10, example="自住"),
    Column("意向等级", "grade", required=True, aliases=("客户等级", "等级", "意向级别"), enum=GRADES, width=8,
           hint="A 很热 … D 较冷", example="A"),
    Column("到访日期", "date", aliases=("来访日期", "到访时间", "来访时间", "到场日期"), not_before="登记日期", future_check=True, width=12,
           hint="客户到访项目/售楼处的日期，不早于登记日期", example="2026-11-10"),
    Column("成交日期", "date", aliases=("成交时间", "认购日期", "签约日期"), not_before="登记日期", future_check=True, width=12,
           hint="签约日期；填了成交日期须同时填成交楼盘和成交金额", example="2026-11-20"),
    Column("成交楼盘", "text", aliases=("成交项目",), width=14, hint="成交时必填", example="麓湖花园"),
    Column("成交金额(万元)", "money", aliases=("成交金额", "成交价", "成交总价", "成交总额", "成交额"), min=0, min_exclusive=True, max=100_000, width=12,
           hint="成交时必填，大于 0，单位万元", example="180.5"),
    Column("渠道名称", "text", width=18, hint="汇总多个渠道时填写；留空取表头的渠道名称"),
    Column("渠道类型", "enum", enum=CHANNEL_TYPES, width=10, hint="汇总多个渠道时填写；留空取表头"),
    Column("所属分所", "text", width=10, hint="汇总多个分所时填写；留空取表头，再无则取文件夹名"),
    Column("跟进人", "text", width=8, hint="我方跟进人员", example="李强"),
    Column("备注", "text", width=20),
)


KIND = Kind(
    id="register",
    title="意向客户登记表",
    names=("登记表", "客户登记表", "意向登记表"),
    version=1,
    description="渠道填写：登记意向客户、到访和成交",
    tables=(Table(sheet="意向客户登记", columns=COLUMNS, block=BLOCK, title="意向客户登记表"),),
    notes=(
        "同一客户以手机号识别；隐号（前三后四）客户以隐号+姓名识别，不会自动与其他渠道合并。",
        "保护期默认 30 天：在保护期内其他渠道再登记同一客户为撞单。",
        "每周报送累计全表即可，重复报送的客户会自动合并。",
    ),
    series=("渠道名称",),
    dated_by=("报送日期",),
    weekly=True,
)

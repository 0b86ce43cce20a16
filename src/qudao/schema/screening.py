"""楼盘筛选表 (tools.md §7) with its 权重 sheet and live formulas."""

from __future__ import annotations

from qudao.schema.model import Column, Kind, Table

SCORES = ("区位评分", "价格评分", "产品评分", "开发商评分", "佣金评分", "去化评分")
DEFAULT_WEIGHTS = (20, 20, 15, 15, 15, 15)
PROPERTY_TYPES = ("住宅", "公寓", "别墅", "商铺", "写字楼", "文旅")

# 权重 sheet: header in row 1, the six scores in rows 2–7 (in the order of SCORES)
WEIGHTED = ("=IF(COUNT({区位评分},{价格评分},{产品评分},{开发商评分},{佣金评分},{去化评分})=0,\"\","
            + "ROUND((" + "+".join(f"N({{{s}}})*'权重'!$B${i}" for i, s in enumerate(SCORES, start=2)) + ")/100,2))")
VERDICTS = ((4, "推荐"), (3, "备选"))  # score ≥ cut-off → verdict, the first that holds
OTHERWISE = "不推荐"
VERDICT = '=IF({加权得分}="","",' + "".join(f'IF({{加权得分}}>={cut},"{name}",' for cut, name in VERDICTS) \
    + f'"{OTHERWISE}"' + ")" * len(VERDICTS) + ")"
VERDICT_HINT = "，".join(f"≥{cut} {name}" for cut, name in VERDICTS) + f"，其余{OTHERWISE}"


def weights_add_up(total: float) -> bool:
    """The six weights must sum to 100 (%)."""
    return abs(total - 100) <= 1e-6


def weighted_score(values: dict, weights: dict[str, float]) -> float | None:
    """What the live 加权得分 formula computes: Σ score × weight ÷ 100, two decimals (None: no score)."""
    scores = [values.get(s) for s in SCORES]
    if all(s is None for s in scores):
        return None
    return round(sum((s or 0) * weights.get(name, 0) for name, s in zip(SCORES, scores)) / 100, 2)


def verdict(score: float | None) -> str:
    """What the live 推荐结论 formula shows for a weighted score."""
    if score is None:
        return ""
    return next((name for cut, name in VERDICTS if score >= cut), OTHERWISE)

COLUMNS = (
    Column("序号", "int", seq=True, width=6),
    Column("楼盘名称", "text", required=True, aliases=("楼盘", "项目名称"), width=14, example="麓湖花园"),
    Column("开发商", "text", required=True, width=18),
    Column("城市", "text", width=8, example="成都"),
    Column("区域板块", "text", width=10, example="天府新区"),
    Column("物业类型", "enum", enum=PROPERTY_TYPES, width=9, example="住宅"),
    Column("均价(元/㎡)", "number", min=0, min_exclusive=True, max=1_000_000, width=11, example="18000"),
    Column("主力面积(㎡)", "text", width=11, hint="如 90-140", example="90-140"),
    Column("总价区间(万元)", "text", width=12, hint="如 80-120", example="80-120"),
    Column("交房时间", "date", direction="forward", width=11),
    Column("佣金点位(%)", "percent", min=0, max=10, width=10, example="2"),
    Column("结佣周期(天)", "int", min=0, width=10, example="90"),
    *(Column(s, "int", min=1, max=5, width=9, hint="1–5 分", example="4") for s in SCORES),
    Column("加权得分", "number", width=9, formula=WEIGHTED, hint="按“权重”表自动计算"),
    Column("推荐结论", "text", width=9, formula=VERDICT, hint=VERDICT_HINT),
    Column("备注", "text", width=16),
)

WEIGHTS = (
    Column("评分项", "text", required=True, width=14),
    Column("权重(%)", "percent", required=True, min=0, max=100, width=10),
    Column("说明", "text", width=40),
)

EXPLAIN = {"区位评分": "交通、配套、板块前景", "价格评分": "价格竞争力", "产品评分": "户型、品质",
           "开发商评分": "品牌、资金、结佣信誉", "佣金评分": "点位与结佣周期", "去化评分": "目前去化速度"}

KIND = Kind(
    id="screening",
    title="楼盘筛选表",
    names=("筛选表",),
    version=1,
    description="筛选可合作的楼盘：基本情况、六项评分、加权得分和推荐结论。",
    tables=(
        Table(sheet="楼盘筛选", columns=COLUMNS, title="楼盘筛选表", blank_rows=60),
        Table(sheet="权重", columns=WEIGHTS, title_row=False, blank_rows=0,
              prefill=tuple((s, w, EXPLAIN[s]) for s, w in zip(SCORES, DEFAULT_WEIGHTS)), recognise=False),
    ),
    notes=("加权得分 = Σ 评分 × 权重 ÷ 100，权重在“权重”表中修改，六项合计必须为 100。",),
)

"""结佣台账 — finance's record of the commission paid to channels (tools.md §16, issue 22).

One row per payment. A payment matches a settlement line of the 结佣清单 by channel + customer (+ 成交日期 when
given, analysis/payments.py); the line is then 已付 or 部分支付, and a line past its due date that is really
unpaid is 逾期. The aliases are the headers of the usual bank exports (交易日期, 交易金额, 流水号, 对方户名,
摘要 …), so ``qudao fill payments 银行流水.xlsx`` starts the ledger from the bank's own file; a bank amount in
元 is converted when its header says so (交易金额(元)).
"""

from __future__ import annotations

from qudao.schema.model import Column, Field, Kind, Table

SHEET = "结佣记录"
METHODS = ("银行转账", "现金", "其他")
MAX_PAYMENT = 1000  # 万元: a payment above this is a typing slip (or a bank amount in 元 under a 万元 header)

BLOCK = (
    Field("填表日期", type="date", aliases=("制表日期", "编制日期", "导出日期"), hint="本表最后更新的日期",
          example="2026-12-04"),
    Field("填表人", aliases=("制表人", "经办人"), example="财务部 卓玛"),
)

COLUMNS = (
    Column("付款编号", "text", required=True, aliases=("付款单号", "流水号", "交易流水号", "交易流水", "交易序号",
                                                      "业务编号", "支付编号"),
           width=16, hint="唯一；可用银行流水号", example="FK-2026-0001"),
    Column("渠道名称", "text", required=True, aliases=("收款人", "收款方", "收款户名", "收款单位", "对方户名",
                                                      "对方名称", "对方账户名称", "收款人名称"),
           width=22, hint="与登记表、协议台账中的渠道名称一致（全称或简称均可）", example="拉萨雪域物业服务有限公司"),
    Column("协议编号", "text", width=14, example="QD-2026-001"),
    Column("客户姓名", "text", aliases=("客户", "成交客户", "购房人"), width=10, hint="这笔佣金对应的成交客户",
           example="张三"),
    Column("联系电话", "phone", aliases=("客户电话", "手机", "手机号", "客户手机"), width=14,
           hint="客户的手机号；隐号（前三后四）加客户姓名也可", example="138****5678"),
    Column("成交日期", "date", width=12, hint="填写时按成交日期核对（同一客户多次成交时必填）", example="2026-11-12"),
    Column("应结金额(万元)", "money", min=0, min_exclusive=True, max=MAX_PAYMENT, aliases=("应结金额", "应付金额"),
           width=11, hint="财务核定的应结佣金，单位万元", example="2.24"),
    Column("付款日期", "date", required=True, future_check=True,
           aliases=("支付日期", "交易日期", "记账日期", "付款时间", "交易时间", "转账日期"), width=12,
           hint="不能晚于填表日期", example="2026-12-02"),
    Column("付款金额(万元)", "money", required=True, min=0, min_exclusive=True, max=MAX_PAYMENT,
           aliases=("付款金额", "支付金额", "实付金额", "交易金额", "支出金额", "借方金额", "借方发生额", "转出金额"),
           width=11, hint="大于 0，单位万元（银行流水按元时表头写“交易金额(元)”即可自动换算）", example="2.24"),
    Column("付款方式", "enum", enum=METHODS, aliases=("支付方式", "交易方式", "交易类型"),
           synonyms={"转账": "银行转账", "网银": "银行转账", "网银转账": "银行转账", "汇款": "银行转账", "电汇": "银行转账",
                     "对公转账": "银行转账", "现付": "现金"},
           width=10, example="银行转账"),
    Column("凭证号", "text", aliases=("凭证编号", "回单号", "回单编号", "交易参考号", "银行凭证号"), width=16,
           example="HD20261202001"),
    Column("备注", "text", aliases=("摘要", "附言", "用途", "交易附言"), width=20),
)

KIND = Kind(
    id="payments",
    title="结佣台账",
    version=1,
    names=("结佣记录", "付款台账", "佣金台账"),
    description="财务填写：每笔支付给渠道的佣金（付款编号、渠道、成交客户、付款日期和金额），用于核对结佣清单。",
    tables=(Table(sheet=SHEET, columns=COLUMNS, block=BLOCK, title="结佣台账"),),
    notes=(
        "每笔付款一行，付款编号不能重复；付款日期不能晚于填表日期。",
        "按“渠道名称 + 客户（手机号，或隐号加姓名）+ 成交日期”对应结佣清单中的成交：全额付清为“已付”，"
        "未付清为“部分支付”，过了应结日期仍未付为“逾期”。",
        "对不上任何成交、超过应结佣金、重复付款或支付已取消成交的付款，会在问题清单中指出行号。",
        "可以用 qudao fill payments 银行流水.xlsx -o 结佣台账.xlsx 从银行导出的流水生成本表，再补填客户姓名。",
    ),
    dated_by=("填表日期",),
)

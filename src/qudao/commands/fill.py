"""``qudao fill`` — rows from CSV/XLSX/JSON into a workbook; ``--carry`` rolls unfinished work forward."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from qudao.commands._common import existing_folder, load_settings, parse_day, parse_sets, parse_week_option, plain
from qudao.commands._options import AsOfOption, ConfigOption, ForceOption


def fill(
    target: str = typer.Argument(..., metavar="类型或文件", help="表格类型（新建，如 register 或 登记表）或已有的 .xlsx 文件（追加）"),
    data: Optional[Path] = typer.Option(None, "--from", metavar="数据文件", help="数据：CSV（UTF-8/GBK）、XLSX/XLS/ODS 或 JSON 对象列表"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="文件", help="输出文件（原文件不会被修改）"),
    sets: Optional[List[str]] = typer.Option(None, "--set", metavar="标签=值", help="表头信息，如 --set 渠道名称=拉萨雪域物业（可重复）"),
    sheet: Optional[str] = typer.Option(None, "--sheet", metavar="名称", help="数据文件中的工作表（默认自动找到表格）"),
    maps: Optional[List[str]] = typer.Option(None, "--map", metavar="源列=目标列",
                                             help="数据的某列当作表里的哪一列，如 --map 提交时间=登记日期（可重复）"),
    carry: Optional[Path] = typer.Option(None, "--carry", metavar="文件", help="上一期的文件：把未完成事项结转到新一期（feedback/plan/handoff）"),
    week: Optional[str] = typer.Option(None, "--week", metavar="周次", help="结转到哪一周（feedback，默认上一期的下一周），如 2026-W49"),
    in_place: bool = typer.Option(False, "--in-place", help="直接替换原文件（原文件另存为 .bak）"),
    show_codes: bool = typer.Option(False, "--codes", help="未写入的行后面显示规则代码（如 phone.format）"),
    as_of: AsOfOption = None,
    config: ConfigOption = None,
    force: ForceOption = False,
) -> None:
    """把数据填进标准表格：列按表头、别名或 --map 匹配；会被拒收的行和表中已有的行不写入，逐行报告。

    网络表单（问卷星、金数据、腾讯问卷）的导出可以直接用：提交时间当作登记日期，题号（如“3、手机号码”）会去掉。

    退出码：0 已写入（重复的行跳过）；1 有行因错误未写入，或一行也没有写入（不生成文件）；2 无法执行。
    """
    from qudao.errors import UsageError

    day = parse_day(as_of, "--as-of")
    week = parse_week_option(week)
    settings = load_settings(config)
    if output is not None:
        existing_folder(output)
    if not Path(target).suffix:  # a kind, by id, title or short name (a file has a suffix)
        from qudao.schema import get_kind

        target = get_kind(target).id
    if carry is not None:
        from qudao.jobs.fill import carry as carry_over

        if output is None:
            raise UsageError("请用 -o 指定新一期的输出文件")
        result = carry_over(target, carry, output, week=week, force=force, as_of=day, settings=settings)
        first, *rest = result.lines()
        typer.echo(plain(f"已生成 {output}：从 {carry.name} {first}"))
        for line in rest:
            typer.echo(plain(f"  {line}"), err=line.startswith("上一期有"))
        if target == "feedback":
            typer.echo(plain(f"周次 {result.values.get('周次')}；结转的工作事项已清空“本周进展”，请填写后再报送"))
        return
    if data is None:
        raise UsageError("请用 --from 指定数据文件（或用 --carry 结转上一期）")
    from qudao.jobs.fill import fill as fill_rows

    mapping = parse_sets(maps, "--map", "源列=目标列", "提交时间=登记日期")
    result = fill_rows(target, data, output, parse_sets(sets), sheet=sheet, in_place=in_place, force=force,
                       as_of=day, settings=settings, mapping=mapping)

    def echo(text: str, err: bool = False) -> None:
        typer.echo(plain(text), err=err)

    if result.extra["mapped"]:
        echo("列对应：" + "；".join(f"{src} → {dst}" for src, dst in result.extra["mapped"]), err=True)
    if result.unknown_columns:
        echo("忽略未识别的列：" + "".join(f"「{name}」" for name in result.unknown_columns), err=True)
    for f in result.findings:
        if f.code == "header.missing" and result.unknown_columns:
            echo(f"提示：如果其中哪一列就是「{f.column}」，用 --map 列名={f.column} 指定", err=True)
    from qudao.labels import SEVERITY_CN

    def listing(findings, head: str) -> None:
        if findings:
            echo(head, err=True)
        for f in sorted(findings, key=lambda f: (f.row or 0, f.cell)):
            echo(f"  {f.where}  {SEVERITY_CN[f.severity]}  {f.message}" + (f"  {f.code}" if show_codes else ""),
                 err=True)

    duplicates = result.extra["duplicates"]
    listing([f for f in result.findings if f.severity == "error"],
            f"以下 {len(result.rejected)} 行有错误，没有写入（行号为 {data.name} 中的行）：")
    listing([f for f in result.findings if f.code == "row.duplicate"],
            f"以下 {len(duplicates)} 行重复，没有写入：")
    left_out = "，".join(part for part in (f"{len(result.rejected)} 行有错误" if result.rejected else "",
                                           f"{len(duplicates)} 行重复" if duplicates else "") if part)
    if result.output is None:
        what = f"没有生成 {output}" if output is not None else f"{target} 没有改动"
        why = left_out or f"{data.name} 里没有数据行"
        echo(f"没有写入任何行（{why}）；{what}", err=True)
        raise typer.Exit(1)
    echo(f"已写入 {result.output}：{result.kind.title}「{result.table.sheet}」{len(result.written)} 行"
         + (f"；{left_out}，未写入" if left_out else "")
         + (f"（原文件备份为 {result.extra['backup'].name}）" if "backup" in result.extra else ""))
    if result.rejected:
        raise typer.Exit(1)

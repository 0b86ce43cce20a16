"""qudao — the channel-partnership team's workbook toolkit."""

__version__ = "0.1.0"


def open(paths, as_of=None, config=None, **options):  # noqa: A001 - qudao.open, as analysts call it
    """An inbox as pandas DataFrames (``qudao.api``: registrations, customers, channels, settlement, conflicts,
    findings), from the same job as ``qudao summarize``. pandas is imported only when this is called."""
    from qudao.api import open as _open

    return _open(paths, as_of=as_of, config=config, **options)

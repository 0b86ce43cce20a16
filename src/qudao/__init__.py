"""qudao — the channel-partnership team's workbook toolkit."""

__version__ = "0.1.0"

"""plp: publishing and mailing for Belgium's Local Prevention Partnerships."""

__version__ = "0.1.0"

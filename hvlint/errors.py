"""The errors that stop hvlint from doing its job: exit status 2 with one line on standard error."""


class HvlintError(Exception):
    """hvlint could not do its job; the message is one line, shown as `hvlint: error: MESSAGE`."""


class UsageError(HvlintError):
    """The run cannot be carried out as asked (the command line's arguments, or what they name): exit
    status 2 with this message."""

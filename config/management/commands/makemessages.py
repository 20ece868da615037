"""Django's makemessages, also finding ``_t``: modules that need both the lazy and the eager
gettext import the eager one as ``_t`` (``from django.utils.translation import gettext as _t``),
and xgettext only knows ``_`` and the gettext names by default."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_t"]

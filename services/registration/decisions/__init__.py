"""Registration's decisions, one pure function per incoming type (see ``handlers.TABLE``)."""

"""Pure decisions of the registration service: no I/O, state folded from recorded payloads.

Every ``decide_*`` function returns the facts to append (an empty list for an idempotent
repeat) or raises :class:`thidua.es.rejections.Refused` with reason codes.
"""

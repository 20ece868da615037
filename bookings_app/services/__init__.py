"""Every change of state in bookings: one verb, one transaction, one event.

Split by business line: ``bookings`` (make one), ``changes`` (cancel, reschedule,
attendance), ``sessions`` (class generation, session events), ``clients``, ``emails``.
"""

"""Every change of state in bookings: one verb, one transaction, one event.

Split by business line: ``bookings`` (make one), ``changes`` (cancel, reschedule,
attendance), ``sessions`` (class generation, session events), ``client_matching`` (the
client found or made when they book), ``client_records`` and ``client_csv`` (the owner's
records and their CSV import), ``emails``.
"""

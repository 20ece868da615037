"""Rendez's mail: one outbox every app stores its messages in, and the composers that write them.

``outbox`` stores a message in the caller's transaction and hands it to the workers after
commit; ``delivery`` is what a worker does with it (claim, send, retry). Each app composes its
own kinds of message (``booking_emails`` here, ``loyalty.notifications``,
``automations.actions.emails``) and names them in ``composers``. ``recipients`` says in which
language a client is written to and who the owners are.
"""

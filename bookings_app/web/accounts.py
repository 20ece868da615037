"""Client accounts: a client who has booked signs in with a code e-mailed to that address.

Nobody signs up. A client's account is made (without a usable password) the first time
they ask for a code, so "send me a code" works for everyone who has booked, while an
address that never booked gets the same answer and no account. The owner and staff sign
in with their password at /dashboard/login/; a code is never sent to them, and if one were,
``ClientAccountAdapter.pre_login`` would still not open their accounts.
"""

from email.utils import formataddr

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import LoginForm, RequestLoginCodeForm
from allauth.account.internal.stagekit import clear_login
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from config.client_address import client_ip

from ..models import Business, Client, User
from .roles import is_staff_member

CODE_SENT_MESSAGE = "account/messages/login_code_sent.txt"


class AccountTaken(Exception):
    """The account with the client's e-mail already belongs to another client."""


def user_for_client(client: Client) -> User:
    """The account ``client`` signs in with, linked to them: theirs, else the one with their e-mail
    (any case), else a new one without a usable password.

    Two code requests racing for one client meet at the unique e-mail index and link the
    same account. Raises ``AccountTaken`` when that account is another client's (an owner
    edited an address by hand).
    """
    if client.user_id:
        return client.user
    user = User.objects.filter(email__iexact=client.email).first()
    if user is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    client.email, None, first_name=client.first_name, last_name=client.last_name
                )
        except IntegrityError:
            user = User.objects.get(email__iexact=client.email)
    try:
        with transaction.atomic():
            linked = Client.objects.filter(pk=client.pk, user__isnull=True).update(user=user)
    except IntegrityError as e:  # client.user is one-to-one
        raise AccountTaken(client.email) from e
    if linked:
        client.user = user
    else:  # a racing request linked it first
        client.refresh_from_db(fields=["user"])
    return client.user


def _signs_in_with_password(user: User) -> bool:
    """The owner, staff and admins (any role): an e-mailed code must not open their accounts."""
    return user.is_staff or user.is_superuser or user.groups.exists()


def _code_recipient(email: str) -> User | None:
    """The account a code for ``email`` signs in to: only a client's, only an active one."""
    client = Client.objects.select_related("user").filter(email__iexact=email).first()
    if client is None:
        return None
    try:
        user = user_for_client(client)
    except AccountTaken:
        return None
    if not user.is_active or _signs_in_with_password(user):
        return None
    return user


class ClientLoginCodeForm(RequestLoginCodeForm):
    """allauth's "send me a sign-in code" form, answering for clients who have booked.

    allauth looks the address up among accounts in ``clean_email`` and keeps the result in
    ``_user`` (None: no code is sent, yet the visitor sees the same next page). allauth's
    adapter has no hook before that lookup, so this form, set in ``ACCOUNT_FORMS``, is where
    a client who has booked gets their account.
    """

    def clean_email(self) -> str:
        email = super().clean_email()  # allauth's rate limits run here first
        if email:
            self._user = _code_recipient(email)
        return email


class ClientLoginForm(LoginForm):
    """allauth's sign-in form (``/account/login/``). Without a password field allauth asks for a
    code itself, through its own request form; here it asks through ClientLoginCodeForm, so the
    same addresses get a code on either page and a team address never does."""

    def _clean_without_password(self, email: str | None, phone: str | None):
        form = ClientLoginCodeForm({"email": email or ""})
        if form.is_valid():
            self.user = form._user
        else:
            for error in form.errors.get("email", []):
                self.add_error("login", error)
        return self.cleaned_data


class ClientAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False  # clients get their account by booking

    def pre_login(self, request: HttpRequest, user: User, **kwargs) -> HttpResponse | None:
        """Every allauth sign-in ends here: it never opens a team account or an inactive one,
        whatever page or code led to it."""
        if user.is_active and not _signs_in_with_password(user):
            return None
        clear_login(request)
        messages.error(request, _("This account cannot be opened with an e-mailed code."))
        return redirect("login" if user.is_active else "account_request_login_code")

    def add_message(
        self,
        request: HttpRequest,
        level: int,
        message_template: str | None = None,
        message_context: dict | None = None,
        extra_tags: str = "",
        message: str | None = None,
    ) -> None:
        """No "code sent" message: the code page says so itself, and a message left over would
        show beside "Successfully signed in" on the next page."""
        if message_template == CODE_SENT_MESSAGE:
            return
        super().add_message(request, level, message_template, message_context, extra_tags, message)

    def get_client_ip(self, request: HttpRequest) -> str:
        return client_ip(request)  # allauth's limits per address count each client behind our proxy

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        if is_staff_member(request.user):
            return super().get_login_redirect_url(request)
        return reverse("my_bookings")

    def get_from_email(self) -> str:
        business = Business.current()
        return formataddr((business.name, business.sender_email))

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        super().send_mail(template_prefix, email, {"business": Business.current(), **context})

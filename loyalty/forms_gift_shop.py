"""The public gift card page's form: which card, who pays, and, for a gift, who receives it when."""

from datetime import date
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from bookings_app.services.client_matching import ClientDetails

from .models import GiftCardProduct, Program

CUSTOM = "custom"
FOR_ME, AS_GIFT = "me", "gift"
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class GiftCardPurchaseForm(forms.Form):
    card = forms.ChoiceField(label=_("Gift card"), widget=forms.RadioSelect)
    amount = forms.DecimalField(
        label=_("Amount of your choice"),
        required=False,
        max_digits=9,
        decimal_places=2,
        error_messages={"invalid": _("Enter an amount such as 40 or 42.50.")},
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "dir": "ltr"}),
    )
    for_whom = forms.ChoiceField(
        label=_("Who is it for?"),
        choices=[(FOR_ME, _("For me")), (AS_GIFT, _("A gift for someone else"))],
        initial=FOR_ME,
        widget=forms.RadioSelect,
    )
    first_name = forms.CharField(
        label=_("Your first name"),
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Your last name"),
        max_length=80,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("Your e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"})
    )
    recipient_name = forms.CharField(label=_("Recipient's name"), max_length=120, required=False)
    recipient_email = forms.EmailField(
        label=_("Recipient's e-mail"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "dir": "ltr"}),
    )
    message = forms.CharField(
        label=_("Your message"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    deliver_on = forms.DateField(
        label=_("Send it on"),
        required=False,
        widget=DATE,
        help_text=_("Today or a later day; the recipient gets the card by e-mail that morning."),
        error_messages={"invalid": _("Enter a date such as 2026-12-24.")},
    )

    def __init__(
        self, *args, program: Program, products: list[GiftCardProduct], today: date, currency: str, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.program, self.products, self.today = program, {str(p.pk): p for p in products}, today
        choices = [(str(p.pk), f"{p.name} · {p.value:.2f} {currency}") for p in products]
        if program.takes_amount_of_choice:
            choices.append((CUSTOM, _("An amount of my choice")))
            self.fields["amount"].help_text = _("From %(low)s to %(high)s.") % {
                "low": program.gift_card_min_amount,
                "high": program.gift_card_max_amount,
            }
        else:
            del self.fields["amount"]
        self.fields["card"].choices = choices
        if choices:
            self.fields["card"].initial = choices[0][0]
        self.fields["deliver_on"].widget.attrs["min"] = today.isoformat()
        self.fields["deliver_on"].initial = today

    def clean(self):
        data = super().clean()
        if data.get("card") == CUSTOM and "amount" not in self.errors:
            amount = data.get("amount")
            low, high = self.program.gift_card_min_amount, self.program.gift_card_max_amount
            if amount is None:
                self.add_error("amount", _("Enter the amount of the card."))
            elif not low <= amount <= high:
                self.add_error(
                    "amount", _("Choose an amount from %(low)s to %(high)s.") % {"low": low, "high": high}
                )
        if data.get("for_whom") == AS_GIFT:
            if not data.get("recipient_email") and "recipient_email" not in self.errors:
                self.add_error("recipient_email", _("Enter the recipient's e-mail address."))
            deliver_on = data.get("deliver_on")
            if deliver_on is None and "deliver_on" not in self.errors:
                self.add_error("deliver_on", _("Choose the day the card is sent."))
            elif deliver_on is not None and deliver_on < self.today:
                self.add_error("deliver_on", _("Choose today or a later day."))
        return data

    @property
    def chosen_product(self) -> GiftCardProduct | None:
        return self.products.get(self.cleaned_data["card"])

    @property
    def chosen_amount(self) -> Decimal | None:
        return self.cleaned_data.get("amount") if self.cleaned_data["card"] == CUSTOM else None

    @property
    def is_gift(self) -> bool:
        return self.cleaned_data["for_whom"] == AS_GIFT

    def buyer(self, *, language: str, time_zone: str) -> ClientDetails:
        return ClientDetails(
            email=self.cleaned_data["email"],
            first_name=self.cleaned_data["first_name"],
            last_name=self.cleaned_data.get("last_name", ""),
            language=language,
            time_zone=time_zone,
        )

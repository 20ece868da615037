"""Gift card codes, manage links and unsubscribe links cannot be guessed, enumerated or forged."""

import math
from collections import Counter

from django.core import signing
from django.test import Client as Browser
from django.urls import reverse

from automations.unsubscribe import client_for_token, unsubscribe_token
from bookings_app.models import Booking
from bookings_app.web import links
from loyalty import attempts, codes


def test_a_gift_card_code_carries_at_least_80_random_bits_from_an_unambiguous_alphabet():
    assert len(set(codes.ALPHABET)) == len(codes.ALPHABET) == 32
    assert not set(codes.ALPHABET) & set("0O1Il")
    assert codes.LENGTH * math.log2(len(codes.ALPHABET)) >= 80


def test_gift_card_codes_are_well_formed_unique_and_use_the_whole_alphabet_evenly():
    drawn = [codes.new_code() for _ in range(4000)]
    assert all(codes.is_well_formed(code) for code in drawn)
    assert len(set(drawn)) == len(drawn)
    counts = Counter("".join(drawn))
    expected = 4000 * codes.LENGTH / len(codes.ALPHABET)  # 2000 of each character
    assert set(counts) == set(codes.ALPHABET)
    assert all(abs(count - expected) < expected * 0.15 for count in counts.values()), counts


def test_wrong_gift_card_codes_are_limited_to_a_few_tries_per_window():
    """At 10 tries per 15 minutes, guessing one of even a million live codes takes ~10^13 years."""
    tries, window = attempts.DEFAULT_RATE.split("/")
    assert int(tries) <= 20 and window.endswith("m") and int(window[:-1] or 1) >= 10


def test_a_tampered_manage_link_opens_nothing(world):
    token = world.values["manage_token"]
    code, signature = token.rsplit(":", 1)
    other = Booking.objects.exclude(code=code).first()
    forged = [
        code,  # the booking reference alone (it is printed on e-mails): the signature is what opens
        f"{code}:{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}",  # one character changed
        f"{other.code}:{signature}",  # someone else's booking with this signature
        signing.Signer(salt="another.salt").sign(code),  # a signature made for something else
        signing.Signer(key="not-our-secret", salt="rendez.booking.manage").sign(code),
    ]
    browser = Browser()
    for token in forged:
        assert links.booking_for_token(token) is None, token
        assert browser.get(reverse("public:manage", args=[token])).status_code == 404, token
        assert browser.post(reverse("public:cancel", args=[token])).status_code in (404, 405), token
    Booking.objects.get(code=code, status="confirmed")


def test_a_tampered_unsubscribe_link_opts_nobody_out(world):
    token = unsubscribe_token(world.bob)
    forged = [
        token[:-1] + ("A" if token[-1] != "A" else "B"),
        str(world.bob.pk),
        f"{world.alice.pk}:" + token.split(":")[-1],
    ]
    browser = Browser()
    for token in forged:
        assert client_for_token(token) is None, token
        assert browser.post(reverse("automations:unsubscribe", args=[token])).status_code == 404, token

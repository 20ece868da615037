"""bookings_app.mail.recipients: the one answer every app gets to "in which language" and "which owners"."""

from bookings_app.mail.recipients import language_for, owner_addresses
from bookings_app.models import User
from tests import factories


def test_it_writes_in_the_clients_language_else_the_studios_else_the_sites(db):
    studio = factories.business(language="he")

    assert language_for(factories.client("Chloé", language="fr"), studio) == "fr"
    assert language_for(factories.client("Kai", language="tlh"), studio) == "he"
    assert language_for(None, studio) == "he"
    studio.language = "tlh"
    assert language_for(None, studio) == "en"


def test_it_names_each_active_owner_once_and_no_one_else(olivia, sam):
    root = User.objects.create_superuser("root@studio.test", "s3cret-pass!")
    gone = User.objects.create_superuser("gone@studio.test", "s3cret-pass!")
    gone.is_active = False
    gone.save()

    assert owner_addresses() == sorted([olivia.email, root.email])

"""The owner lists the websites that may frame the booking pages; every bad line gets its reason
next to the field, never a 500, and nothing is saved until the whole list is good."""

import pytest
from django.urls import reverse

from bookings_app.forms.embedding import EmbeddingForm
from bookings_app.models import Business
from tests import factories as f

URL = "/dashboard/settings/embedding/"


@pytest.fixture
def owner(client, olivia):
    client.force_login(olivia)
    return client


def test_the_owner_lists_websites_tidied_and_without_repeats(owner):
    text = "https://Studio.Example\n\n  https://www.studio.example:8443/ \nhttps://studio.example:443\nhttps://*.studio.example"
    response = owner.post(URL, {"origins": text})
    assert response.status_code == 302
    assert Business.current().embed_origins == [
        "https://studio.example",
        "https://www.studio.example:8443",
        "https://*.studio.example",
    ]
    page = owner.get(URL).content.decode()
    assert "https://www.studio.example:8443" in page


def test_an_empty_list_allows_no_website(owner):
    Business.objects.filter(pk=Business.current().pk).update(embed_origins=["https://studio.example"])
    assert owner.post(URL, {"origins": "  \n"}).status_code == 302
    assert Business.current().embed_origins == []
    assert "cannot be shown on any site" in owner.get(URL).content.decode()


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("studio.example", "write it as https://example.com"),
        ("https://studio.example/booking", "only the site, without a path"),
        ("https://studio.example/?a=1", "nothing else"),
        ("https://user:pw@studio.example", "nothing else"),
        ("https://studio.example#top", "nothing else"),
        ("javascript:alert(1)", "write it as https://example.com"),
        ("data:text/html,hi", "write it as https://example.com"),
        ("ftp://studio.example", "write it as https://example.com"),
        ("http://studio.example", "use https"),
        ("https://*", "not a valid host name"),
        ("https://*.com", "not a valid host name"),
        ("https://stu dio.example", "not a valid host name"),
        ("https://studio.example:99999", "not a web address"),
        ("https://[::1", "not a web address"),
        ("https://'self'", "not a valid host name"),
        ("https://a.example; script-src *", "not a valid host name"),
        ("https://" + "a" * 300 + ".example", "too long"),
        ("*", "write it as https://example.com"),
    ],
)
def test_a_bad_line_is_refused_next_to_the_field_with_its_reason(owner, line, reason):
    response = owner.post(URL, {"origins": f"https://good.example\n{line}"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Line 2" in page and reason in page
    assert Business.current().embed_origins == []


def test_plain_http_is_allowed_for_the_loopback_only_while_debug_is_on(settings):
    settings.DEBUG = True
    form = EmbeddingForm({"origins": "http://localhost:8001\nhttp://127.0.0.1:9000"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["origins"] == ["http://localhost:8001", "http://127.0.0.1:9000"]
    settings.DEBUG = False
    form = EmbeddingForm({"origins": "http://localhost:8001"})
    assert not form.is_valid()
    assert "use https" in str(form.errors["origins"])


def test_a_thousand_bad_lines_give_ten_reasons_and_a_count(owner):
    response = owner.post(URL, {"origins": "\n".join("bad" for _ in range(1000))})
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count('class="field-error"') == 11
    assert "Other lines to correct: 990." in page


def test_a_thousand_good_lines_are_too_many(owner):
    text = "\n".join(f"https://s{n}.example" for n in range(1000))
    response = owner.post(URL, {"origins": text})
    assert response.status_code == 400
    assert "Ensure this value has at most 5000 characters" in response.content.decode()


def test_twenty_one_websites_are_too_many(owner):
    text = "\n".join(f"https://s{n}.example" for n in range(21))
    response = owner.post(URL, {"origins": text})
    assert response.status_code == 400
    assert "At most 20 websites." in response.content.decode()


@pytest.mark.parametrize("junk", ["\x00", "\u202e", "https://例え.jp", "💥" * 100, "\r\n" * 2000])
def test_junk_never_breaks_the_page(owner, junk):
    response = owner.post(URL, {"origins": junk})
    assert response.status_code in (302, 400)


def test_the_page_shows_the_snippet_to_copy_and_a_preview(owner, settings):
    f.business()
    settings.SITE_URL = "https://book.studio.example"
    page = owner.get(URL).content.decode()
    snippet = (
        "&lt;script src=&quot;https://book.studio.example/static/js/embed.js&quot; "
        "data-rendez-title=&quot;Book at Studio Lumen&quot; async&gt;"
    )
    assert snippet in page
    assert 'data-copy="embed-snippet"' in page and "readonly" in page
    preview = owner.get(reverse("dashboard:embedding_preview")).content.decode()
    assert (
        '<script src="https://book.studio.example/static/js/embed.js" '
        'data-rendez-title="Book at Studio Lumen" async></script>'
    ) in preview


def test_the_snippet_escapes_the_business_name(owner):
    Business.objects.filter(pk=Business.current().pk).update(name='Lumen "<b>"')
    page = owner.get(reverse("dashboard:embedding_preview")).content.decode()
    assert 'data-rendez-title="Book at Lumen &quot;&lt;b&gt;&quot;"' in page


def test_the_settings_pages_link_to_each_other(owner):
    for url in ("/dashboard/settings/", "/dashboard/settings/calendar-feeds/"):
        assert 'href="/dashboard/settings/embedding/"' in owner.get(url).content.decode()


def test_only_the_owner_may_open_it(client, sam):
    client.force_login(sam)
    assert client.get(URL).status_code in (302, 403)
    assert client.post(URL, {"origins": "https://evil.example"}).status_code in (302, 403)
    assert Business.current().embed_origins == []


def test_the_page_reads_in_a_fixed_number_of_queries(owner, django_assert_num_queries):
    owner.get(URL)
    with django_assert_num_queries(4):
        owner.get(URL)

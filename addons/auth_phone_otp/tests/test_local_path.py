from odoo.tests import BaseCase

from ..utils import local_path


class TestLocalPath(BaseCase):
    """The suite's one check of ``redirect`` / ``next`` parameters."""

    def test_paths_on_this_website_are_kept(self):
        for url in (
            "/",
            "/my",
            "/shop?category=2#top",
            "/web/login?redirect=%2Fmy",
            "/a\\b",
            "/shop?search=100%25",
            "/shop/%E9%9D%A2%E9%9C%9C",
        ):
            with self.subTest(url=url):
                self.assertEqual(local_path(url), url)

    def test_other_sites_and_tricky_forms_are_refused(self):
        for url in (
            "https://evil.example/",
            "http:/evil.example",
            "javascript:alert(1)",
            "//evil.example",
            "///evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "\\/evil.example",
            " /my",
            "/\t/evil.example",
            "/\n/evil.example",
            "/my\r\nSet-Cookie: x=1",
            "/my\x00",
            "/my\x7f",
            # the same once percent-decoded, once or twice
            "/%5Cevil.example",
            "/%5cevil.example",
            "/%2F/evil.example",
            "/%2f%2fevil.example",
            "/\\/evil.example",
            "/%09/evil.example",
            "/%0A/evil.example",
            "/%0d%0aSet-Cookie:%20x=1",
            "/%252F/evil.example",
            "/%255Cevil.example",
            "/%25252F/evil.example",
            "/my%00",
            "%2F%2Fevil.example",
            "JavaScript:alert(1)",
            "/\r\n/evil.example",
            "my",
            "",
            None,
            ["/my"],
            "/" + "a" * 2048,
        ):
            with self.subTest(url=url if not isinstance(url, str) else url[:40]):
                self.assertIsNone(local_path(url))

from odoo.tests import BaseCase

from ..utils import local_path


class TestLocalPath(BaseCase):
    """The suite's one check of ``redirect`` / ``next`` parameters."""

    def test_paths_on_this_website_are_kept(self):
        for url in ("/", "/my", "/shop?category=2#top", "/web/login?redirect=%2Fmy", "/a\\b"):
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
            "my",
            "",
            None,
            ["/my"],
            "/" + "a" * 2048,
        ):
            with self.subTest(url=url if not isinstance(url, str) else url[:40]):
                self.assertIsNone(local_path(url))

from odoo.tests import BaseCase, tagged

from ..utils import normalize_address, normalize_phone, same_address


@tagged("post_install", "-at_install")
class TestUtils(BaseCase):
    def test_a_mobile_number_however_it_is_written(self):
        for raw in (
            "13800138000",
            "138 0013 8000",
            "+86-138-0013-8000",
            "0086 13800138000",
            "8613800138000",
            "１３８００１３８０００",
        ):
            self.assertEqual(normalize_phone(raw), "13800138000", raw)
        self.assertEqual(normalize_phone("0571-8888 6666"), "057188886666")
        for raw in (None, "", "110", "ext. 12"):
            self.assertIsNone(normalize_phone(raw), raw)

    def test_the_same_address_however_it_is_written(self):
        one = normalize_address("文一西路 969 号", "", "杭州市", "310000", "7")
        self.assertTrue(
            same_address(one, normalize_address("文一西路969号", None, "杭州市", "", "7"))
        )
        self.assertTrue(same_address(one, normalize_address("文一西路", "969号", "", "", False)))
        self.assertFalse(
            same_address(one, normalize_address("文一西路969号", "", "宁波市", "", ""))
        )
        self.assertFalse(
            same_address(one, normalize_address("文一西路 970 号", "", "杭州市", "", ""))
        )
        self.assertIsNone(normalize_address("", "", "杭州市", "310000", "7"), "no street, no match")
        self.assertFalse(same_address(None, None))

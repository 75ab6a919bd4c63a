import json
import re

from odoo import http
from odoo.tests import HttpCase, tagged

PHONE = "+8613900005678"


@tagged("post_install", "-at_install")
class TestAddressCn(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.website = cls.env["website"].get_current_website()
        cls.china = cls.env.ref("base.cn")
        cls.website.company_id.country_id = cls.china
        cls.zhejiang = cls.env["res.country.state"].search(
            [("country_id", "=", cls.china.id), ("name", "=", "浙江省")]
        )
        Division = cls.env["address.cn.division"]
        cls.hangzhou = Division.search([("code", "=", "330100")])
        cls.linping = Division.search([("code", "=", "330113")])
        cls.product = cls.env["product.product"].create(
            {"name": "面霜", "list_price": 99.0, "is_published": True, "sale_ok": True}
        )
        # signed up by SMS code, in Chinese: 用户5678, the mobile, no e-mail
        cls.shopper = (
            cls.env["res.users"].with_context(lang="zh_CN")._phone_otp_find_or_signup(PHONE)
        )
        cls.shopper.password = "shopper-cn-5678"  # noqa: S105 (the test's own)

    def _cart(self):
        self.authenticate(self.shopper.login, "shopper-cn-5678")
        self.make_jsonrpc_request(
            "/shop/cart/update_json", {"product_id": self.product.id, "add_qty": 1}
        )
        return self.env["sale.order"].search(
            [("partner_id", "=", self.shopper.partner_id.id), ("state", "=", "draft")],
            limit=1,
        )

    def _input(self, html, name, value):
        """Whether the form has the input ``name`` holding ``value``."""
        tag = re.search(rf'<input [^>]*name="{name}"[^>]*>', html)
        current = tag and re.search(r'value="([^"]*)"', tag[0])
        return bool(tag) and (current[1] if current else "") == value

    def _submit(self, **values):
        values.setdefault("address_type", "billing")
        values["csrf_token"] = http.Request.csrf_token(self)
        return json.loads(self.url_open("/shop/address/submit", data=values).text)

    def test_phone_shopper_gives_address_without_email(self):
        partner = self.shopper.partner_id
        self.assertFalse(partner.email)
        order = self._cart()
        self.assertTrue(order, "cart created")

        form = self.url_open("/shop/checkout").text
        self.assertEqual(partner.name, "用户5678")
        self.assertTrue(self._input(form, "phone", PHONE), "the mobile signed in with")
        self.assertTrue(self._input(form, "name", ""), "not the placeholder 用户5678")
        self.assertIn('data-address-format="cn"', form)
        self.assertIn("收货人", form, "the shop speaks Chinese")
        china_option = re.search(rf'<option value="{self.china.id}"[^>]*>', form)
        self.assertIn("selected", china_option[0], "China by default")
        self.assertNotIn('name="vat"', form, "a private shopper has no VAT")
        self.assertNotIn('name="company_name"', form)
        self.assertIn('name="address_cn_division_id"', form, "市 and 区/县 from lists")

        result = self._submit(
            partner_id=partner.id,
            name="王芳",
            phone=PHONE,
            email="",
            country_id=self.china.id,
            state_id=self.zhejiang.id,
            address_cn_prefecture_id=self.hangzhou.id,
            address_cn_division_id=self.linping.id,
            city="",
            street="文三路 100 号 3 幢 501 室",
        )
        self.assertIn("successUrl", result, result)
        self.assertEqual(order.partner_invoice_id, partner)
        self.assertRecordValues(
            partner,
            [
                {
                    "name": "王芳",
                    "phone": PHONE,
                    "country_id": self.china.id,
                    "state_id": self.zhejiang.id,
                    "city": "杭州市临平区",
                    "address_cn_division_id": self.linping.id,
                    "street": "文三路 100 号 3 幢 501 室",
                }
            ],
        )
        self.assertFalse(partner.email)
        form = self.url_open(f"/shop/address?partner_id={partner.id}").text
        self.assertRegex(
            form, rf'<option value="{self.linping.id}" selected', "opens on the county saved"
        )
        # the address is complete: the checkout goes on, not back to the form
        checkout = self.url_open("/shop/checkout", allow_redirects=False)
        self.assertNotIn("/shop/address", checkout.headers.get("Location", ""))

    def test_prefectures_then_counties_are_listed(self):
        def divisions(**params):
            return self.make_jsonrpc_request("/shop/address_cn/divisions", params)

        prefectures = dict(divisions(state_id=self.zhejiang.id))
        self.assertEqual(prefectures[self.hangzhou.id], "杭州市")
        self.assertNotIn("南京市", prefectures.values())
        counties = dict(divisions(state_id=self.zhejiang.id, prefecture_id=self.hangzhou.id))
        self.assertEqual(counties[self.linping.id], "临平区", "the 2021 district is there")
        self.assertIn("西湖区", counties.values())
        jiangsu = self.env.ref("base.state_cn_JS")
        self.assertEqual(
            divisions(state_id=jiangsu.id, prefecture_id=self.hangzhou.id),
            [],
            "a prefecture of another province",
        )
        self.assertEqual(divisions(state_id=self.env.ref("base.state_us_5").id), [])
        for hostile in ("x" * 100, None, 10**20, -1, "١٢", True, 1.5):
            self.assertEqual(divisions(state_id=hostile), [], hostile)
            if hostile is not None:  # no prefecture: the province's prefectures
                self.assertEqual(
                    divisions(state_id=self.zhejiang.id, prefecture_id=hostile), [], hostile
                )

    def test_city_line_is_the_county_chosen(self):
        division = self.env["address.cn.division"]
        cases = {
            "110101": "东城区",  # 北京市 is the province line
            "500229": "城口县",  # Chongqing's counties under 重庆市 too
            "429004": "仙桃市",  # a city Hubei governs itself
            "441900": "东莞市",  # a prefecture without districts, said once
            "330113": "杭州市临平区",
        }
        for code, city in cases.items():
            self.assertEqual(division.search([("code", "=", code)])._address_cn_city(), city, code)
        self.assertEqual(division.search([("code", "=", "500229")]).parent_id.name, "重庆市")

    def test_city_must_be_a_county_of_the_province(self):
        self._cart()
        nanjing_gulou = self.env["address.cn.division"].search([("code", "=", "320106")])
        for county_id in (nanjing_gulou.id, self.hangzhou.id, "", "x", 10**12):
            result = self._submit(
                partner_id=self.shopper.partner_id.id,
                name="王芳",
                phone=PHONE,
                country_id=self.china.id,
                state_id=self.zhejiang.id,
                address_cn_division_id=county_id,
                city="杭州市西湖区",  # typed text is not the city line
                street="文三路 100 号",
            )
            self.assertEqual(result.get("invalid_fields"), ["address_cn_division_id"], county_id)
        self.assertFalse(self.shopper.partner_id.city)

    def test_province_and_mobile_are_required_in_china(self):
        self._cart()
        result = self._submit(
            partner_id=self.shopper.partner_id.id,
            name="王芳",
            phone="",
            country_id=self.china.id,
            address_cn_division_id=self.linping.id,
            street="文三路 100 号",
        )
        self.assertEqual(
            set(result["invalid_fields"]), {"phone", "state_id", "address_cn_division_id"}
        )

    def test_shop_outside_china_keeps_odoo_email_requirement(self):
        self.website.company_id.country_id = self.env.ref("base.us")
        self._cart()
        form = self.url_open("/shop/checkout").text
        self.assertFalse('data-address-format="cn"' in form, "Odoo's form")
        result = self._submit(
            partner_id=self.shopper.partner_id.id,
            name="Fang Wang",
            phone=PHONE,
            email="",
            country_id=self.china.id,
            state_id=self.zhejiang.id,
            city="Hangzhou",
            zip="310000",
            street="100 Wensan Road",
        )
        self.assertIn("email", result.get("invalid_fields", []), result)

    def test_tour_at_phone_width(self):
        self.browser_size = "375x667"
        self.touch_enabled = True
        self.shopper.password = PHONE  # start_tour signs in with the login as password
        self.start_tour(self.product.website_url, "website_sale_address_cn", login=PHONE)
        self.assertRecordValues(
            self.shopper.partner_id,
            [
                {
                    "name": "王芳",
                    "phone": PHONE,
                    "state_id": self.zhejiang.id,
                    "city": "杭州市临平区",
                    "address_cn_division_id": self.linping.id,
                }
            ],
        )

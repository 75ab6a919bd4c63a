from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestAddressFormat(TransactionCase):
    def test_chinese_address_reads_from_province_to_room(self):
        china = self.env.ref("base.cn")
        partner = self.env["res.partner"].create(
            {
                "name": "王芳",
                "country_id": china.id,
                "state_id": self.env["res.country.state"]
                .search([("country_id", "=", china.id), ("name", "=", "浙江省")])
                .id,
                "city": "杭州市西湖区",
                "street": "文三路 100 号 3 幢 501 室",
            }
        )
        self.assertEqual(
            partner._display_address().strip(),
            f"浙江省杭州市西湖区文三路 100 号 3 幢 501 室\n{china.name}",
        )
        # as the checkout summary shows it: no empty zip between the parts
        inline = self.env["ir.qweb.field.contact"].value_to_html(
            partner, {"fields": ["address"], "no_marker": True, "separator": ", "}
        )
        self.assertIn(f"浙江省杭州市西湖区文三路 100 号 3 幢 501 室, {china.name}<", inline)

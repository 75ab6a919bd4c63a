from odoo.tests import TransactionCase


class FenxiaoCheckinCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("website.default_website").company_id
        cls.program = cls.env["loyalty.program"].create(
            {
                "name": "签到积分 Check-in points",
                "program_type": "loyalty",
                "company_id": cls.company.id,
            }
        )
        cls.company.write(
            {
                "fenxiao_checkin_program_id": cls.program.id,
                "fenxiao_checkin_points": 5,
                "fenxiao_checkin_streak_days": 7,
                "fenxiao_checkin_streak_bonus": 20,
            }
        )
        cls.partner = cls.env["res.partner"].create({"name": "签到顾客 Check-in shopper"})
        cls.Checkin = cls.env["fenxiao.checkin"]

    def _check_in(self, partner=None):
        return self.Checkin._fenxiao_check_in(partner or self.partner, self.company)

    def _card(self, partner=None):
        return self.env["loyalty.card"].search(
            [
                ("program_id", "=", self.program.id),
                ("partner_id", "=", (partner or self.partner).id),
            ]
        )

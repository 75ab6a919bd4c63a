from odoo import Command, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero


class FenxiaoPromotionWizard(models.TransientModel):
    """A promotion in one click: the manager picks a template, types its
    figures and gets a ready loyalty program built on Odoo's own mechanics,
    archived until confirmed (or live at once when asked)."""

    _name = "fenxiao.promotion.wizard"
    _description = "New Promotion from a Template"

    template = fields.Selection(
        [
            ("threshold", "Spend X, get Y off (满减)"),
            ("every", "Every X spent, Y off (每满减)"),
            ("category", "Percentage off a category"),
            ("gift", "Free gift when spending X (赠品)"),
            ("welcome", "New-shopper coupon"),
        ],
        required=True,
        default="threshold",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    threshold = fields.Monetary(string="Spend (X)", help="The amount to reach, taxes included.")
    discount_amount = fields.Monetary(string="Amount off (Y)")
    discount_percent = fields.Float(string="Percentage off")
    categ_id = fields.Many2one("product.category", string="Product Category")
    gift_product_id = fields.Many2one("product.product", string="Gift")
    date_from = fields.Date(string="Start Date")
    date_to = fields.Date(string="End Date")
    activate = fields.Boolean(
        string="Start at once",
        help="Unticked, the program is created archived: the manager reviews and activates it.",
    )

    def _check_figures(self):
        self.ensure_one()
        rounding = self.currency_id.rounding
        needs_threshold = self.template in ("threshold", "every", "gift")
        if needs_threshold and float_is_zero(self.threshold, precision_rounding=rounding):
            raise UserError(self.env._("Enter the amount to spend (X)."))
        if self.threshold < 0 or self.discount_amount < 0:
            raise UserError(self.env._("Amounts cannot be negative."))
        if self.template in ("threshold", "every", "welcome") and float_is_zero(
            self.discount_amount, precision_rounding=rounding
        ):
            raise UserError(self.env._("Enter the amount off (Y)."))
        if self.template in ("threshold", "every") and self.discount_amount >= self.threshold:
            raise UserError(self.env._("The amount off must be smaller than the amount to spend."))
        if self.template == "category":
            if not self.categ_id:
                raise UserError(self.env._("Choose the product category."))
            if not 0 < self.discount_percent < 100:
                raise UserError(self.env._("The percentage must be between 0 and 100."))
        if self.template == "gift" and not self.gift_product_id:
            raise UserError(self.env._("Choose the gift product."))
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise UserError(self.env._("The end date is before the start date."))

    def _figure(self, amount):
        """299.00 → "299", 9.90 → "9.9": names read like the shop's own (满299减50)."""
        return format(amount, ".2f").rstrip("0").rstrip(".")

    def _program_values(self):
        """The loyalty.program values of the chosen template."""
        self.ensure_one()
        x, y = self.threshold, self.discount_amount
        values = {
            "company_id": self.company_id.id,
            "currency_id": self.currency_id.id,
            "program_type": "promotion",
            "trigger": "auto",
            "applies_on": "current",
            "portal_visible": False,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "active": self.activate,
        }
        order_rule = {
            "minimum_amount": x,
            "minimum_amount_tax_mode": "incl",
            "reward_point_mode": "order",
            "reward_point_amount": 1,
        }
        if self.template == "threshold":
            values["name"] = self.env._(
                "Spend %(x)s, get %(y)s off", x=self._figure(x), y=self._figure(y)
            )
            values["rule_ids"] = [Command.create(order_rule)]
            values["reward_ids"] = [
                Command.create(
                    {
                        "reward_type": "discount",
                        "discount": y,
                        "discount_mode": "per_order",
                        "discount_applicability": "order",
                        "required_points": 1,
                    }
                )
            ]
        elif self.template == "every":
            # One point per currency unit spent; the reward takes the points
            # in whole blocks of X (Odoo floors them to multiples of
            # required_points) and gives Y for each block.
            values["name"] = self.env._(
                "Every %(x)s spent, %(y)s off", x=self._figure(x), y=self._figure(y)
            )
            values["rule_ids"] = [
                Command.create(
                    {
                        "minimum_amount": x,
                        "minimum_amount_tax_mode": "incl",
                        "reward_point_mode": "money",
                        "reward_point_amount": 1,
                    }
                )
            ]
            values["reward_ids"] = [
                Command.create(
                    {
                        "reward_type": "discount",
                        "discount": y / x,
                        "discount_mode": "per_point",
                        "discount_applicability": "order",
                        "required_points": x,
                    }
                )
            ]
        elif self.template == "category":
            values["name"] = self.env._(
                "%(category)s %(percent)s%% off",
                category=self.categ_id.name,
                percent=self._figure(self.discount_percent),
            )
            values["rule_ids"] = [
                Command.create(
                    {
                        "product_category_id": self.categ_id.id,
                        "minimum_qty": 1,
                        "reward_point_mode": "order",
                        "reward_point_amount": 1,
                    }
                )
            ]
            values["reward_ids"] = [
                Command.create(
                    {
                        "reward_type": "discount",
                        "discount": self.discount_percent,
                        "discount_mode": "percent",
                        "discount_applicability": "specific",
                        "discount_product_category_id": self.categ_id.id,
                        "required_points": 1,
                    }
                )
            ]
        elif self.template == "gift":
            values["name"] = self.env._(
                "Spend %(x)s, free %(gift)s", x=self._figure(x), gift=self.gift_product_id.name
            )
            values["rule_ids"] = [Command.create(order_rule)]
            values["reward_ids"] = [
                Command.create(
                    {
                        "reward_type": "product",
                        "reward_product_id": self.gift_product_id.id,
                        "reward_product_qty": 1,
                        "required_points": 1,
                    }
                )
            ]
        else:  # welcome
            values.update(
                {
                    "name": self.env._("New-shopper coupon %(y)s off", y=self._figure(y)),
                    "program_type": "coupons",
                    "trigger": "with_code",
                    "portal_visible": True,
                }
            )
            values["rule_ids"] = [
                Command.create(
                    {
                        "minimum_amount": x,
                        "minimum_amount_tax_mode": "incl",
                        "reward_point_mode": "order",
                        "reward_point_amount": 1,
                    }
                )
            ]
            values["reward_ids"] = [
                Command.create(
                    {
                        "reward_type": "discount",
                        "discount": y,
                        "discount_mode": "per_order",
                        "discount_applicability": "order",
                        "required_points": 1,
                    }
                )
            ]
        return values

    def _create_program(self):
        self._check_figures()
        program = self.env["loyalty.program"].create(self._program_values())
        if self.template == "welcome" and not self.company_id.fenxiao_welcome_program_id:
            self.company_id.fenxiao_welcome_program_id = program
        return program

    def action_create(self):
        program = self._create_program()
        return {
            "type": "ir.actions.act_window",
            "res_model": "loyalty.program",
            "res_id": program.id,
            "view_mode": "form",
            "target": "current",
        }

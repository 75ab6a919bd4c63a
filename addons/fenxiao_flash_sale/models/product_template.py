from odoo import models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    def _fenxiao_flash_price(self, sale, product_or_template, currency, website, date):
        """The flash price as the shop shows prices: converted, with the taxes
        of the product mapped by the website's fiscal position."""
        fiscal_position = website.fiscal_position_id.sudo()
        product_taxes = product_or_template.sudo().taxes_id._filter_taxes_by_company(
            self.env.company
        )
        taxes = fiscal_position.map_tax(product_taxes)
        price = sale._fenxiao_price_in(currency, self.env.company, date)
        return self._apply_taxes_to_price(
            price, currency, product_taxes, taxes, product_or_template, website=website
        )

    def _get_additionnal_combination_info(self, product_or_template, quantity, date, website):
        """The product page: the flash price, the normal one struck through, and
        what the countdown needs (``fenxiao_flash``)."""
        info = super()._get_additionnal_combination_info(
            product_or_template, quantity, date, website
        )
        template = (
            product_or_template.product_tmpl_id
            if product_or_template._name == "product.product"
            else product_or_template
        )
        FlashSale = self.env["fenxiao.flash.sale"]
        if not FlashSale._fenxiao_current(template, website, with_scheduled=True):
            return info  # almost every product: nothing read
        product = (
            product_or_template
            if product_or_template._name == "product.product"
            else product_or_template.product_variant_ids[:1]
            if product_or_template.product_variant_count == 1
            else None
        )
        sale = product and FlashSale._fenxiao_current(product, website, with_scheduled=True).get(
            product.id
        )
        if not sale:
            return info
        info["fenxiao_flash"] = sale._fenxiao_shop_info()
        if sale.state == "running":
            flash_price = self._fenxiao_flash_price(
                sale, product_or_template, info["currency"], website, date
            )
            info.update(
                {
                    "list_price": max(info["list_price"], info["price"]),
                    "price": flash_price,
                    "has_discounted_price": True,
                    "compare_list_price": None,
                }
            )
            info["base_unit_price"] = product_or_template._get_base_unit_price(flash_price)
        return info

    def _get_sales_prices(self, website):
        """The product cards in /shop: the flash price and the normal price
        struck through, for a product whose flash sale runs."""
        prices = super()._get_sales_prices(website)
        if not self:
            return prices
        sales = self.env["fenxiao.flash.sale"]._fenxiao_current(self, website)
        for sale in sales.values():
            template = sale.product_id.product_tmpl_id
            if template.id not in prices or sale.state != "running":
                continue
            vals = prices[template.id]
            flash_price = self._fenxiao_flash_price(
                sale, template, website.currency_id, website, None
            )
            vals["base_price"] = max(vals.get("base_price") or 0.0, vals["price_reduce"])
            vals["price_reduce"] = flash_price
        return prices

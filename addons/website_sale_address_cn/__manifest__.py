# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Chinese Checkout Address",
    "summary": "The checkout address a shopper in China expects: 收货人, 手机号, 省, 市, "
    "详细地址; no e-mail, company or VAT asked of a private shopper",
    "version": "18.0.1.1.0",
    "category": "Website/eCommerce",
    "website": "https://github.com/fenxiao/fenxiao",
    "author": "Fenxiao",
    "license": "LGPL-3",
    # website_sale: the address form and its checks, adapted here
    # auth_phone_otp: the mobile number a shopper signs in with, and the
    # placeholder name its sign-up gives, which the form does not offer back
    # The prefectures and counties come with the module (data/*.csv, made by
    # scripts/update_cn_divisions from the statistics' GB/T 2260 codes), not
    # from l10n_cn_city, whose list predates 2015 (林芝地区, no 临平区).
    "depends": ["website_sale", "auth_phone_otp"],
    "data": [
        "security/ir.model.access.csv",
        "data/address.cn.division.csv",
        "data/res_country_data.xml",
        "views/website_sale_templates.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "website_sale_address_cn/static/src/js/**/*",
            "website_sale_address_cn/static/src/scss/**/*",
        ],
        "web.assets_tests": [
            "website_sale_address_cn/static/tests/tours/**/*",
        ],
    },
    "uninstall_hook": "_restore_cn_address_format",
    "installable": True,
}

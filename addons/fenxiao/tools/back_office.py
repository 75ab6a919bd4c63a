from odoo import SUPERUSER_ID


def as_back_office(records, company=None):
    """``records`` as the system (OdooBot) writes about them in the back
    office, in the company's language.

    A payment notification runs as the public user, a cron as whoever owns
    it and a shopper's request in the shopper's language: what they post in a
    chatter is read by the merchant's staff, and should read as the system's
    news in the company's language, not "Public user" writing in English.
    """
    company = company or records.env.company
    lang = company.partner_id.lang or records.env.lang
    return records.with_user(SUPERUSER_ID).with_context(lang=lang)

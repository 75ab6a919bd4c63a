import json
import logging
import secrets
from datetime import timedelta

import requests

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from .. import const, utils

_logger = logging.getLogger(__name__)


class StockPicking(models.Model):
    _inherit = "stock.picking"

    parcel_carrier_id = fields.Many2one(
        "fenxiao.parcel.carrier",
        copy=False,
        help="The express company of the parcel, tracked with Kuaidi100 (快递100). "
        "The tracking number is the picking's Tracking Reference.",
    )
    parcel_state = fields.Selection(
        [("none", "Not tracked yet"), *const.PARCEL_STATES],
        string="Parcel Status",
        default="none",
        required=True,
        copy=False,
        readonly=True,
    )
    parcel_received_date = fields.Datetime(
        string="Received On",
        copy=False,
        readonly=True,
        help="When the parcel was signed for (签收), the shopper confirmed receipt (确认收货) "
        "or receipt was confirmed automatically. The after-sales window starts here.",
    )
    parcel_subscribed = fields.Boolean(
        string="Tracking Subscribed",
        copy=False,
        readonly=True,
        help="Kuaidi100 pushes this parcel's news to the shop.",
    )
    parcel_salt = fields.Char(copy=False, groups="base.group_system")
    parcel_event_ids = fields.One2many(
        "fenxiao.parcel.event", "picking_id", string="Tracking Events", readonly=True
    )

    @api.constrains("parcel_carrier_id", "carrier_tracking_ref")
    def _check_parcel_tracking_number(self):
        for picking in self.filtered("parcel_carrier_id"):
            number = picking.carrier_tracking_ref
            if number and not utils.valid_tracking_number(number):
                raise ValidationError(
                    self.env._(
                        "The tracking number %(number)s is not valid: 6 to 32 letters or digits.",
                        number=number,
                    )
                )

    # ------------------------------------------------------------------
    # Which pickings are parcels
    # ------------------------------------------------------------------
    def _parcel_is_tracked(self):
        self.ensure_one()
        return bool(self.parcel_carrier_id and self.carrier_tracking_ref)

    def _parcel_trackable(self):
        """The parcels Kuaidi100 can follow: deliveries once shipped (done),
        returns once the shopper has sent them (a number on the reception
        that is still to be received, or received already)."""
        return self.filtered(
            lambda picking: picking._parcel_is_tracked()
            and (
                (picking.picking_type_code == "outgoing" and picking.state == "done")
                or (picking.picking_type_code == "incoming" and picking.state != "cancel")
            )
        )

    def _fenxiao_after_sales_start(self):
        """A tracked parcel's window starts when it is received (None until
        then: commission stays frozen; the daily auto-confirmation ends the
        wait). A delivery without a tracking number keeps the shipping date:
        there is no parcel to follow."""
        starts = super()._fenxiao_after_sales_start()
        for picking in self:
            if picking._parcel_is_tracked():
                starts[picking] = picking.parcel_received_date or None
        return starts

    # ------------------------------------------------------------------
    # Life cycle
    # ------------------------------------------------------------------
    def _action_done(self):
        result = super()._action_done()
        self._parcel_trackable()._parcel_subscribe()
        return result

    def write(self, vals):
        renumbered = self.browse()
        if "parcel_carrier_id" in vals or "carrier_tracking_ref" in vals:
            # only parcels (with a carrier before or after) have a history to restart
            renumbered = self.filtered(
                lambda picking: (picking.parcel_carrier_id or vals.get("parcel_carrier_id"))
                and (
                    picking.parcel_carrier_id.id
                    != vals.get("parcel_carrier_id", picking.parcel_carrier_id.id)
                    or picking.carrier_tracking_ref
                    != vals.get("carrier_tracking_ref", picking.carrier_tracking_ref)
                )
            )
        result = super().write(vals)
        if renumbered:
            # Another parcel: its history, subscription and salt start again.
            renumbered.parcel_event_ids.sudo().unlink()
            renumbered.sudo().write(
                {"parcel_state": "none", "parcel_subscribed": False, "parcel_salt": False}
            )
            renumbered._parcel_trackable()._parcel_subscribe()
        return result

    # ------------------------------------------------------------------
    # Kuaidi100
    # ------------------------------------------------------------------
    @api.model
    def _kuaidi100_make_request(self, company, path, data):
        """POST the form ``data`` to Kuaidi100 and return its JSON answer.

        The one place that talks to Kuaidi100: a network error, an HTTP error
        or an answer that is not JSON is logged and raised as a UserError.
        """
        url = (company.fenxiao_kuaidi100_url or const.DEFAULT_API_URL).rstrip("/") + path
        try:
            response = requests.post(url, data=data, timeout=const.TIMEOUT)
            response.raise_for_status()
            answer = response.json()
        except (requests.RequestException, ValueError) as error:
            _logger.warning("Kuaidi100 %s failed: %s", path, error)
            raise UserError(self.env._("Kuaidi100 could not be reached: %s", error)) from error
        if not isinstance(answer, dict):
            _logger.warning("Kuaidi100 %s answered %r", path, answer)
            raise UserError(self.env._("Kuaidi100 answered something unexpected."))
        _logger.info(
            "Kuaidi100 %s: returnCode %s, status %s, %s",
            path,
            answer.get("returnCode"),
            answer.get("status"),
            answer.get("message"),
        )
        return answer

    def _parcel_receiver_phone(self):
        self.ensure_one()
        if self.parcel_carrier_id.code not in const.PHONE_CARRIERS:
            return ""
        partner = self.partner_id
        return utils.phone_tail(partner.mobile or partner.phone)

    def _parcel_subscribe(self):
        """Ask Kuaidi100 to push these parcels' news (订阅). Failures are
        logged and left to the tracking cron; returns the pickings subscribed."""
        subscribed = self.browse()
        for picking in self.sudo().filtered(lambda p: p._parcel_is_tracked()):
            company = picking.company_id
            if not company.fenxiao_kuaidi100_key:
                _logger.info(
                    "Kuaidi100 is not configured for %s: %s not subscribed",
                    company.name,
                    picking.name,
                )
                continue
            if not picking.parcel_salt:
                picking.parcel_salt = secrets.token_hex(16)
            param = {
                "company": picking.parcel_carrier_id.code,
                "number": picking.carrier_tracking_ref,
                "key": company.fenxiao_kuaidi100_key,
                "parameters": {
                    "callbackurl": picking.get_base_url() + const.PUSH_ROUTE,
                    "salt": picking.parcel_salt,
                    "resultv2": "4",
                    "phone": picking._parcel_receiver_phone(),
                },
            }
            try:
                answer = self._kuaidi100_make_request(
                    company, const.SUBSCRIBE_PATH, {"schema": "json", "param": utils.dumps(param)}
                )
            except UserError:
                continue
            if str(answer.get("returnCode")) in const.SUBSCRIBED_CODES:
                picking.parcel_subscribed = True
                subscribed |= picking
            else:
                _logger.warning(
                    "Kuaidi100 refused to subscribe %s (%s %s): %s %s",
                    picking.name,
                    picking.parcel_carrier_id.code,
                    picking.carrier_tracking_ref,
                    answer.get("returnCode"),
                    answer.get("message"),
                )
        return self.browse(subscribed.ids)

    def _parcel_query(self):
        """Ask Kuaidi100 for the parcel's whole history now (实时查询) and store it."""
        self.ensure_one()
        picking = self.sudo()
        company = picking.company_id
        if not (company.fenxiao_kuaidi100_key and company.fenxiao_kuaidi100_customer):
            raise UserError(self.env._("Set the Kuaidi100 customer and key in the settings first."))
        param = utils.dumps(
            {
                "com": picking.parcel_carrier_id.code,
                "num": picking.carrier_tracking_ref,
                "phone": picking._parcel_receiver_phone(),
                "resultv2": "4",
                "order": "desc",
            }
        )
        customer = company.fenxiao_kuaidi100_customer
        answer = self._kuaidi100_make_request(
            company,
            const.QUERY_PATH,
            {
                "customer": customer,
                "param": param,
                "sign": utils.query_sign(param, company.fenxiao_kuaidi100_key, customer),
            },
        )
        if str(answer.get("status")) != "200":
            raise UserError(
                self.env._(
                    "Kuaidi100 could not track %(number)s: %(message)s",
                    number=picking.carrier_tracking_ref,
                    message=answer.get("message") or answer.get("returnCode"),
                )
            )
        try:
            events = utils.parse_events(answer)
        except (ValueError, TypeError) as error:
            _logger.warning("Kuaidi100 query of %s: malformed answer: %s", picking.name, error)
            raise UserError(self.env._("Kuaidi100 answered something unexpected.")) from error
        picking._parcel_store_events(events, answer.get("state"))

    def action_parcel_refresh(self):
        """Refresh tracking: subscribe again where needed and read the history now."""
        for picking in self:
            if not picking._parcel_is_tracked():
                raise UserError(self.env._("Set the parcel carrier and the tracking number first."))
            if not picking.parcel_subscribed:
                picking._parcel_subscribe()
            picking._parcel_query()
        return True

    # ------------------------------------------------------------------
    # Pushes and events
    # ------------------------------------------------------------------
    @api.model
    def _parcel_process_push(self, param, sign):
        """Verify and store one Kuaidi100 push (the form's ``param`` and ``sign``).

        The picking comes from lastResult.com and lastResult.nu; its own salt
        must sign ``param``. Raises ValidationError for a malformed push and
        AccessError for a forged one or an unknown parcel, before anything is
        written. Returns the pickings updated.
        """
        try:
            data = json.loads(param)
            last = data["lastResult"]
            company_code, number = str(last["com"]), str(last["nu"])
        except (ValueError, TypeError, KeyError) as error:
            raise ValidationError(self.env._("Malformed Kuaidi100 push.")) from error
        candidates = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("parcel_carrier_id.code", "=", company_code),
                    ("carrier_tracking_ref", "=", number),
                ]
            )
        )
        pickings = candidates.filtered(
            lambda picking: picking.parcel_salt
            and utils.same_sign(utils.push_sign(param, picking.parcel_salt), sign)
        )
        if not pickings:
            _logger.warning(
                "Kuaidi100 push refused: %s %s is unknown or the sign is wrong (%d candidates)",
                company_code,
                number,
                len(candidates),
            )
            raise AccessError(self.env._("Unknown parcel or wrong signature."))
        try:
            events = utils.parse_events(last)
        except (ValueError, TypeError) as error:
            raise ValidationError(self.env._("Malformed Kuaidi100 push.")) from error
        if data.get("status") == "abort":
            # Kuaidi100 gave up (e.g. nothing found for days): the cron subscribes again.
            _logger.warning("Kuaidi100 stopped tracking %s: %s", number, data.get("message"))
            pickings.parcel_subscribed = False
        for picking in pickings:
            picking._parcel_store_events(events, last.get("state"))
        return pickings

    def _parcel_store_events(self, events, result_state=None):
        """Store ``events`` (utils.parse_events) once each and move the parcel
        state to the newest event's; 签收 marks the picking received."""
        self.ensure_one()
        if events:
            uid = self.env.uid
            rows = SQL(", ").join(
                SQL(
                    "(%s, %s, %s, %s, %s, %s, %s, %s, now() at time zone 'UTC', "
                    "now() at time zone 'UTC')",
                    self.id,
                    event["event_time"],
                    event["context"],
                    event["location"],
                    event["state"],
                    event["status_code"],
                    uid,
                    uid,
                )
                for event in events
            )
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO fenxiao_parcel_event
                        (picking_id, event_time, context, location, state, status_code,
                         create_uid, write_uid, create_date, write_date)
                    VALUES %s
                    ON CONFLICT DO NOTHING
                    """,
                    rows,
                )
            )
            self.invalidate_recordset(["parcel_event_ids"])
        self.env.cr.execute(
            """
            SELECT state, event_time FROM fenxiao_parcel_event
             WHERE picking_id = %s
          ORDER BY event_time DESC, id DESC
             LIMIT 1
            """,
            [self.id],
        )
        newest = self.env.cr.fetchone()
        if not newest:
            return
        state = newest[0] or (result_state if result_state in const.STATE_CODES else None)
        if state and state != self.parcel_state:
            self.sudo().parcel_state = state
        self.env.cr.execute(
            """
            SELECT min(event_time) FROM fenxiao_parcel_event
             WHERE picking_id = %s AND state = %s
            """,
            [self.id, const.STATE_RECEIVED],
        )
        received = self.env.cr.fetchone()[0]
        if not received and state == const.STATE_RECEIVED:
            received = newest[1]
        if received:
            self._parcel_mark_received(received)

    def _parcel_mark_received(self, when):
        """Mark the done pickings of ``self`` received at ``when``, in one
        conditional statement: a picking received already keeps its date, so
        two clicks, a click and a push, or a push and the cron, never move it.
        Returns the pickings marked now."""
        if not self:
            return self
        self.flush_recordset(["state", "parcel_received_date"])
        self.env.cr.execute(
            """
            UPDATE stock_picking
               SET parcel_received_date = %s,
                   write_uid = %s, write_date = now() at time zone 'UTC'
             WHERE id = ANY(%s) AND state = 'done' AND parcel_received_date IS NULL
         RETURNING id
            """,
            [when, self.env.uid, self.ids],
        )
        marked = self.browse([row[0] for row in self.env.cr.fetchall()])
        self.invalidate_recordset(["parcel_received_date"])
        return marked

    # ------------------------------------------------------------------
    # Crons
    # ------------------------------------------------------------------
    @api.model
    def _cron_parcel_tracking(self, limit=200):
        """Subscribe again the recent parcels whose subscription failed, and
        read the history of those Kuaidi100 still refuses."""
        pickings = self.sudo().search(
            [
                ("state", "=", "done"),
                ("parcel_carrier_id", "!=", False),
                ("carrier_tracking_ref", "!=", False),
                ("parcel_subscribed", "=", False),
                ("parcel_received_date", "=", False),
                ("date_done", ">=", fields.Datetime.now() - timedelta(days=60)),
            ],
            limit=limit,
            order="date_done desc",
        )
        subscribed = pickings._parcel_subscribe()
        for picking in pickings - subscribed:
            try:
                picking._parcel_query()
            except UserError as error:
                _logger.info("Kuaidi100 query of %s failed: %s", picking.name, error)

    @api.model
    def _cron_parcel_auto_receive(self):
        """Confirm receipt of deliveries shipped more than the company's
        number of days ago (自动确认收货)."""
        now = fields.Datetime.now()
        for company in self.env["res.company"].sudo().search([]):
            days = max(company.fenxiao_receipt_auto_days, 0)
            pickings = self.sudo().search(
                [
                    ("company_id", "=", company.id),
                    ("picking_type_code", "=", "outgoing"),
                    ("state", "=", "done"),
                    ("parcel_received_date", "=", False),
                    ("date_done", "<=", now - timedelta(days=days)),
                ]
            )
            marked = pickings._parcel_mark_received(now)
            if marked:
                _logger.info("Receipt confirmed automatically for %d deliveries", len(marked))

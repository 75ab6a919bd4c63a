def take_committed_events(env, kind):
    """Risk events of ``kind`` flagged in a transaction of their own (committed
    beside the test's; in an HttpCase's test mode, within it): read there and
    removed with their to-dos and messages, so that no other test sees them.
    Returns [(reference, transaction id, details)]."""
    with env.registry.cursor() as cr:
        cr.execute(
            "DELETE FROM payment_risk_event WHERE kind = %s "
            "RETURNING id, reference, transaction_id, details",
            [kind],
        )
        rows = cr.fetchall()
        ids = tuple(row[0] for row in rows) or (0,)
        for table, model in (
            ("mail_activity", "res_model"),
            ("mail_message", "model"),
            ("mail_followers", "res_model"),
        ):
            cr.execute(
                f"DELETE FROM {table} WHERE {model} = 'payment.risk.event' "  # noqa: S608
                "AND res_id IN %s",
                [ids],
            )
        return [row[1:] for row in rows]

"""What 《禁止传销条例》 (2005) forbids a distribution scheme to count.

Article 7(1): paying or ranking people by how many others they bring in
(计酬 by head count) is pyramid selling. Tiers and rewards refuse any metric
that counts people of the network; one list for both.
"""

# Head counts of a network, by name or by a word in the name.
RECRUIT_METRICS = (
    "recruits",
    "recruit_count",
    "direct_count",
    "direct_recruits",
    "team_size",
    "team_count",
    "downline_count",
    "distributors",
    "distributor_count",
)
RECRUIT_WORDS = ("recruit", "downline", "head", "direct_count", "member")


def is_recruit_metric(metric):
    """Whether ``metric`` (a selection value) counts people recruited."""
    return bool(metric) and (
        metric in RECRUIT_METRICS or any(word in metric for word in RECRUIT_WORDS)
    )

"""The prepayment of individual income tax on remuneration for services
(劳务报酬所得个人所得税预扣预缴), as 国家税务总局公告 2018 年第 61 号 states it.

For one month's income from the same payer (continuous income counts as one
payment a month):

- the income counts after a deduction: 800 when it is 4,000 or less, 20% of
  it above (收入额 = 收入 − 800, or 收入 × (1 − 20%));
- the prepayment is that amount at the rate of its bracket less the bracket's
  quick deduction (预扣率, 速算扣除数): up to 20,000 at 20%; up to 50,000 at
  30% less 2,000; above at 40% less 7,000.
"""

from decimal import ROUND_HALF_UP, Decimal

DEDUCTION_THRESHOLD = Decimal("4000")
FIXED_DEDUCTION = Decimal("800")
PERCENT_DEDUCTION = Decimal("0.2")
# (upper bound of the taxable amount or None, rate, quick deduction)
BRACKETS = [
    (Decimal("20000"), Decimal("0.2"), Decimal("0")),
    (Decimal("50000"), Decimal("0.3"), Decimal("2000")),
    (None, Decimal("0.4"), Decimal("7000")),
]
CENT = Decimal("0.01")


def labour_remuneration_tax(income):
    """The prepayment on one month's ``income`` (a number in yuan):
    {income, deduction, taxable, rate, quick_deduction, tax}, amounts rounded
    to the fen. Decimal arithmetic: the brackets' edges are exact."""
    income = Decimal(str(income)).quantize(CENT, ROUND_HALF_UP)
    if income <= FIXED_DEDUCTION:
        deduction = max(income, Decimal(0))
    elif income <= DEDUCTION_THRESHOLD:
        deduction = FIXED_DEDUCTION
    else:
        deduction = (income * PERCENT_DEDUCTION).quantize(CENT, ROUND_HALF_UP)
    taxable = income - deduction
    _bound, rate, quick = next(
        bracket for bracket in BRACKETS if bracket[0] is None or taxable <= bracket[0]
    )
    tax = max(taxable * rate - quick, Decimal(0)).quantize(CENT, ROUND_HALF_UP)
    return {
        "income": float(income),
        "deduction": float(deduction),
        "taxable": float(taxable),
        "rate": float(rate),
        "quick_deduction": float(quick),
        "tax": float(tax),
    }

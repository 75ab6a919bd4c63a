from . import fenxiao_commission_settle
from . import fenxiao_withdrawal_reject
from . import fenxiao_commission_statement
from . import fenxiao_commission_statement_line

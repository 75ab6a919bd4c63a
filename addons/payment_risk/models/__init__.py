from . import payment_provider
from . import payment_risk_event
from . import payment_transaction

from . import test_referral
from . import test_cart_share
from . import test_distributor_centre
from . import test_posters
from . import test_share_earn
from . import test_rpc_disclosure
from . import test_wechat_share
from . import test_review_card

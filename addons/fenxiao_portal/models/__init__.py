from . import fenxiao_distributor
from . import fenxiao_poster
from . import ir_http
from . import website
from . import ir_http_security

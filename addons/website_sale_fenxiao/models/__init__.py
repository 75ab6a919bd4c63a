from . import ir_http
from . import product_template
from . import website

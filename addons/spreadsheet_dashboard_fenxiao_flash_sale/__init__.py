import base64

from odoo.tools import file_open

BASE_FILE = "spreadsheet_dashboard_fenxiao/data/files/distribution_dashboard.json"


def uninstall_hook(env):
    """The dashboard without flash sales again: its file names fields that
    leave with fenxiao_flash_sale."""
    dashboard = env.ref(
        "spreadsheet_dashboard_fenxiao.spreadsheet_dashboard_fenxiao", raise_if_not_found=False
    )
    if dashboard:
        with file_open(BASE_FILE, "rb") as f:
            dashboard.spreadsheet_binary_data = base64.b64encode(f.read())

# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# AGPL-3 because it extends OCA's auto_backup (AGPL-3).
{
    "name": "Fenxiao Backups",
    "summary": "Scheduled database and file-store backups (OCA auto_backup) "
    "with a shop's defaults, freshness in the settings and a to-do on failure",
    "version": "18.0.1.0.0",
    "category": "Tools",
    "website": "https://github.com/fenxiao/fenxiao",
    "author": "Fenxiao",
    "license": "AGPL-3",
    # auto_backup: the backup records, the daily cron (03:00), dump and cleanup
    # base_setup: General Settings, where the backups' freshness is shown
    "depends": ["auto_backup", "base_setup"],
    "data": [
        "views/db_backup_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "demo": ["demo/db_backup_demo.xml"],
    "installable": True,
}

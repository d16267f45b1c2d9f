"""LeadDesk: an offline desktop workspace for reviewing sales leads."""

__version__ = "0.1.0"
APP_NAME = "LeadDesk"

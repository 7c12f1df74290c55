"""cadre_desk core: data, rules and services. Imports neither Qt nor reportlab."""

__version__ = "0.1.0"
APP_NAME = "cadre_desk"
APP_TITLE = "干部管理系统"

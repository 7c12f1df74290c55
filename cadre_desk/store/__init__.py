"""Storage: peewee models, the database proxy, migrations and backups."""

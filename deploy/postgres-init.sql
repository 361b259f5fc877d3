-- Run once by the postgres image on an empty volume (docker-entrypoint-initdb.d), as POSTGRES_USER.
-- The tracker store uses the database "rasa" (POSTGRES_DB); handoff requests get their own database,
-- so retention, backups and access can differ. Alembic creates the tables at the first start.
CREATE DATABASE handoff OWNER rasa;

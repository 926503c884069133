-- hulft-ark fleet view: the role and the database it needs, run once as a PostgreSQL superuser:
--   sudo -u postgres psql -v fleet_password="'a long random password'" -f setup.sql
-- (the quotes inside the double quotes are part of the value). The fleet view creates and migrates its
-- own tables at start (Flyway, schema history in flyway_schema_history), so no table is created here.

-- The fleet view's own login: it owns its schema, so Flyway can create and alter the tables, and it is
-- nothing more than that (no superuser, no CREATEDB, no CREATEROLE).
CREATE ROLE hulftark LOGIN PASSWORD :fleet_password
    NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;

CREATE DATABASE hulftark OWNER hulftark ENCODING 'UTF8' TEMPLATE template0;

\connect hulftark

-- PostgreSQL 15+ no longer lets every role create objects in public; the fleet view gets its own schema,
-- owned by it, and finds it first on its search path.
CREATE SCHEMA IF NOT EXISTS hulftark AUTHORIZATION hulftark;
ALTER ROLE hulftark IN DATABASE hulftark SET search_path = hulftark;
REVOKE ALL ON DATABASE hulftark FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE hulftark TO hulftark;

-- Optional: a read-only role for reports and ad-hoc queries (dashboards of your own, audits).
-- CREATE ROLE hulftark_read LOGIN PASSWORD '...' NOSUPERUSER NOCREATEDB NOCREATEROLE;
-- GRANT CONNECT ON DATABASE hulftark TO hulftark_read;
-- GRANT USAGE ON SCHEMA hulftark TO hulftark_read;
-- ALTER DEFAULT PRIVILEGES FOR ROLE hulftark IN SCHEMA hulftark GRANT SELECT ON TABLES TO hulftark_read;

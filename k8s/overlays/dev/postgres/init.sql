-- One database and one role per service: nothing but its own service touches a
-- database. Dev-only passwords, matching the DATABASE_URLs of the dev overlay.
CREATE ROLE users LOGIN PASSWORD 'dev-only-users';
CREATE DATABASE users OWNER users;
CREATE ROLE jobs LOGIN PASSWORD 'dev-only-jobs';
CREATE DATABASE jobs OWNER jobs;
CREATE ROLE pipelines LOGIN PASSWORD 'dev-only-pipelines';
CREATE DATABASE pipelines OWNER pipelines;

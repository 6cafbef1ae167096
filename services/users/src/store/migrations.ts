import type { Migration } from "@platform/kit";

export const USERS_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: "users",
    sql: {
      // Assigned ids come from a counter (id_sequences / a SEQUENCE), not MAX(id)+1,
      // so one explicit huge id (the seed allows up to 2^53-1) does not end the id space.
      sqlite: `
        CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, created_at BIGINT NOT NULL);
        CREATE UNIQUE INDEX users_email_lower ON users (lower(email));
        CREATE TABLE id_sequences (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
        INSERT INTO id_sequences (name, value) VALUES ('users', 0);`,
      postgres: `
        CREATE TABLE users (id BIGINT PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL, created_at BIGINT NOT NULL);
        CREATE UNIQUE INDEX users_email_lower ON users (lower(email));
        CREATE SEQUENCE users_id_seq;`,
    },
  },
  {
    version: 2,
    name: "credentials",
    // Users from before have no password (they cannot log in) and the default role.
    // roles: a comma-separated, sorted list (the domain keeps it to known names).
    sql: `
      ALTER TABLE users ADD COLUMN password_hash TEXT;
      ALTER TABLE users ADD COLUMN roles TEXT NOT NULL DEFAULT 'user';`,
  },
  {
    version: 3,
    name: "login throttle",
    // One row per counted key ("address:…", "username:…"), shared by every gateway
    // replica; expired rows are pruned by the service (expires_at is indexed for that).
    sql: `
      CREATE TABLE login_throttle (key TEXT PRIMARY KEY, count BIGINT NOT NULL, expires_at BIGINT NOT NULL);
      CREATE INDEX login_throttle_expires_at ON login_throttle (expires_at);`,
  },
];

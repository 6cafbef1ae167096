// Users in SQL, the same statements on SQLite and PostgreSQL.
import {
  AlreadyExistsError,
  FailedPreconditionError,
  isUniqueViolation,
  violatedConstraint,
  type Db,
  type PageRequest,
  type Queryable,
} from "@platform/kit";
import { normalizeRoles, ROLES, type Role, type User } from "../domain/user";
import type { UserRepository, UserToStore } from "./userRepository";

interface UserRow {
  id: unknown;
  name: string;
  email: string;
  roles: string;
  created_at: unknown;
}

const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);
const parseRoles = (stored: string): Role[] => normalizeRoles(stored.split(",").filter(isRole));

const toUser = (row: UserRow): User => ({
  id: Number(row.id),
  name: row.name,
  email: row.email,
  roles: parseRoles(row.roles),
  createdAt: new Date(Number(row.created_at)),
});

// password_hash is never among them: only findCredentials reads it.
const COLUMNS = "id, name, email, roles, created_at";
const INSERT_COLUMNS = "id, name, email, roles, created_at, password_hash";
/** Skipping ids taken explicitly is bounded: past this many, something is wrong. */
const MAX_ID_SKIPS = 10_000;

export class SqlUserRepository implements UserRepository {
  constructor(private readonly db: Db) {}

  async create(user: UserToStore): Promise<User> {
    const createdAt = Date.now();
    try {
      if (user.id !== undefined) {
        const row = await this.db.get<UserRow>(
          `INSERT INTO users (${INSERT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
          [user.id, ...insertValues(user, createdAt)],
        );
        return toUser(row!);
      }
      return this.db.dialect === "sqlite"
        ? await this.db.transaction((tx) => this.insertWithAssignedId(tx, user, createdAt))
        : await this.insertWithAssignedId(this.db, user, createdAt);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (violatedConstraint(error).includes("email"))
        throw new AlreadyExistsError(`a user with email ${user.email} already exists`);
      throw new AlreadyExistsError(`a user with id ${user.id} already exists`);
    }
  }

  /** Takes ids from the counter until one is free: explicit ids may have taken the next few. */
  private async insertWithAssignedId(q: Queryable, user: UserToStore, createdAt: number): Promise<User> {
    for (let skips = 0; skips < MAX_ID_SKIPS; skips++) {
      const next =
        q.dialect === "sqlite"
          ? await q.get<{ value: unknown }>(
              "UPDATE id_sequences SET value = value + 1 WHERE name = 'users' RETURNING value",
            )
          : await q.get<{ value: unknown }>("SELECT nextval('users_id_seq') AS value");
      const id = Number(next!.value);
      if (!Number.isSafeInteger(id)) throw new FailedPreconditionError("no user ids are left");
      const row = await q.get<UserRow>(
        `INSERT INTO users (${INSERT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING RETURNING ${COLUMNS}`,
        [id, ...insertValues(user, createdAt)],
      );
      if (row) return toUser(row);
    }
    throw new FailedPreconditionError("could not find a free user id");
  }

  async get(id: number): Promise<User | undefined> {
    const row = await this.db.get<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
    return row && toUser(row);
  }

  async listAfter({ afterId, limit }: PageRequest): Promise<User[]> {
    const rows = await this.db.all<UserRow>(`SELECT ${COLUMNS} FROM users WHERE id > $1 ORDER BY id LIMIT $2`, [
      afterId,
      limit + 1,
    ]);
    return rows.map(toUser);
  }

  async findCredentials(email: string): Promise<{ user: User; passwordHash: string | undefined } | undefined> {
    // lower(email) is what the unique index holds, so this is an index lookup and matches what counts as a duplicate.
    const row = await this.db.get<UserRow & { password_hash: string | null }>(
      `SELECT ${COLUMNS}, password_hash FROM users WHERE lower(email) = lower($1)`,
      [email],
    );
    return row && { user: toUser(row), passwordHash: row.password_hash ?? undefined };
  }
}

/** Every column but the id, in INSERT_COLUMNS order. */
const insertValues = (user: UserToStore, createdAt: number) => [
  user.name,
  user.email,
  normalizeRoles(user.roles).join(","),
  createdAt,
  user.passwordHash ?? null,
];

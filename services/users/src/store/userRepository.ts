import type { PageRequest } from "@platform/kit";
import type { Role, User } from "../domain/user";

/** A validated user as it is stored: the password only as its hash. */
export interface UserToStore {
  /** Absent: the store assigns the next free id. */
  id?: number;
  name: string;
  email: string;
  roles: readonly Role[];
  /** argon2id (PHC string); absent: the user has no password. */
  passwordHash?: string;
}

/** Where users live. Implementations throw AlreadyExistsError on a taken id or email. */
export interface UserRepository {
  create(user: UserToStore): Promise<User>;
  get(id: number): Promise<User | undefined>;
  /** Up to `limit + 1` users with ids above the cursor, in id order. */
  listAfter(page: PageRequest): Promise<User[]>;
  /** The user with this email in any letter case, with their password hash (undefined when they have none). */
  findCredentials(email: string): Promise<{ user: User; passwordHash: string | undefined } | undefined>;
}

import type { PageRequest } from "@platform/kit";
import type { NewUser, User } from "../domain/user";

/** Where users live. Implementations throw AlreadyExistsError on a taken id or email. */
export interface UserRepository {
  create(user: NewUser): Promise<User>;
  get(id: number): Promise<User | undefined>;
  /** Up to `limit + 1` users with ids above the cursor, in id order. */
  listAfter(page: PageRequest): Promise<User[]>;
}

import { AlreadyExistsError, MemoryTable, type PageRequest } from "@platform/kit";
import type { NewUser, User } from "../domain/user";
import type { UserRepository } from "./userRepository";

export class MemoryUserRepository implements UserRepository {
  private readonly table = new MemoryTable<User>();

  async create(user: NewUser): Promise<User> {
    const id = user.id ?? this.table.nextId();
    if (this.table.has(id)) throw new AlreadyExistsError(`a user with id ${id} already exists`);
    const email = user.email.toLowerCase();
    if (this.table.find((row) => row.email.toLowerCase() === email)) {
      throw new AlreadyExistsError(`a user with email ${user.email} already exists`);
    }
    return this.table.insert({ id, name: user.name, email: user.email, createdAt: new Date() });
  }

  async get(id: number): Promise<User | undefined> {
    return this.table.get(id);
  }

  async listAfter(page: PageRequest): Promise<User[]> {
    return this.table.listAfter(page);
  }
}

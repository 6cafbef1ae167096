// The users service's settings: the shared service settings, and how many passwords it hashes at once.
import { parseConfig, passwordHashingConfigShape, serviceConfigSchema, type Env } from "@platform/kit";
import type { z } from "zod";

export const DEFAULT_PORT = 50051;

export const usersConfigSchema = serviceConfigSchema(DEFAULT_PORT).extend(passwordHashingConfigShape);

export type UsersConfig = z.output<typeof usersConfigSchema>;

export function loadUsersConfig(source: Env = process.env): Readonly<UsersConfig> {
  return parseConfig(usersConfigSchema, source);
}

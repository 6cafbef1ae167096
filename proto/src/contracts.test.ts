// The loaded contracts follow the conventions in DESIGN.md.
import { describe, expect, test } from "bun:test";
import { jobs, packageDefinition, pipelines, SERVICE_NAMES, users } from "./index";
import * as jobsEntry from "./jobs";

describe("contracts", () => {
  test("each service is in its versioned package and keeps the seed's methods", () => {
    expect(Object.keys(users.UsersService.service)).toEqual(expect.arrayContaining(["CreateUser", "GetUser"]));
    expect(Object.keys(jobs.JobsService.service)).toEqual(expect.arrayContaining(["CreateJob", "GetJob"]));
    expect(Object.keys(pipelines.PipelinesService.service)).toEqual(
      expect.arrayContaining(["CreatePipeline", "GetPipeline"]),
    );
    for (const name of Object.values(SERVICE_NAMES)) expect(packageDefinition[name]).toBeDefined();
  });

  test("enums start with a *_UNSPECIFIED zero value prefixed by their type name", () => {
    let checked = 0;
    for (const [name, definition] of Object.entries(packageDefinition)) {
      if (!("format" in definition) || definition.format !== "Protocol Buffer 3 EnumDescriptorProto") continue;
      checked++;
      const type = definition.type as { value: { name: string; number: number }[] };
      const prefix = name
        .split(".")
        .at(-1)!
        .replace(/([a-z])([A-Z])/g, "$1_$2")
        .toUpperCase();
      expect([type.value[0]?.name, type.value[0]?.number]).toEqual([`${prefix}_UNSPECIFIED`, 0]);
      for (const value of type.value) expect(value.name).toStartWith(`${prefix}_`);
    }
    expect(checked).toBeGreaterThanOrEqual(2);
  });

  test("@platform/proto/jobs loads the jobs contract alone, the same as the index's", () => {
    const methods = (service: object) =>
      Object.entries(service).map(([name, m]) => [
        name,
        (m as { path: string }).path,
        (m as { responseStream: boolean }).responseStream,
      ]);
    expect(methods(jobsEntry.jobs.JobsService.service)).toEqual(methods(jobs.JobsService.service));
    expect(Object.keys(jobsEntry.jobs).sort()).toEqual(Object.keys(jobs).sort());
    expect(jobsEntry.SERVICE_NAMES).toBe(SERVICE_NAMES);
  });
});

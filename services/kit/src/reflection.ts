// Server reflection whose file descriptors protoc-based tools can link.
// proto-loader rebuilds the contracts' descriptors from protobufjs (one file per
// package) with type references relative to their scope and no imports, and
// @grpc/reflection sends the files a symbol needs without naming them as imports
// (grpc/grpc-node#2595). grpcurl, grpc_cli or Postman then fail on the first
// reference to another package ("users.v1.User.created_at cannot resolve type
// *.google.protobuf.Timestamp"), and on the reserved field numbers, which
// protobufjs writes with an inclusive end ("reserved ranges has invalid range:
// 2 to 1"). Here every reference is made fully qualified, every file imports the
// files that define what it references, and ranges end where descriptors say,
// once, before the reflection service indexes them. The messages of our status
// details (google.rpc.BadRequest in google.rpc.Status) are described too, so a
// tool shows a refused call's field violations instead of their bytes.
import { ReflectionService } from "@grpc/reflection";
import type { EnumTypeDefinition, MessageTypeDefinition, PackageDefinition } from "@grpc/proto-loader";
import type { Root } from "protobufjs";
import { FileDescriptorProto, type IDescriptorProto, type IFileDescriptorProto } from "protobufjs/ext/descriptor";
import { STATUS_DETAILS_ROOT } from "./statusDetails";

/** The status details' files by package: Any as upstream names its file; Status and BadRequest share one. */
const STATUS_DETAILS_FILES: Record<string, string> = {
  "google.protobuf": "google/protobuf/any.proto",
  "google.rpc": "google/rpc/error_details.proto",
};

/** The status details' files (one per package), named as upstream names them. */
export function statusDetailsFiles(): Uint8Array[] {
  const set = (
    STATUS_DETAILS_ROOT as Root & { toDescriptor(syntax: string): { file: IFileDescriptorProto[] } }
  ).toDescriptor("proto3");
  // protobufjs marks every proto3 field `packed = false`; none of these is packable, so that says nothing.
  const unpack = (messages: IDescriptorProto[] | undefined) => {
    for (const message of messages ?? []) {
      for (const field of message.field ?? []) delete field.options;
      unpack(message.nestedType);
    }
  };
  return set.file.map((file) => {
    unpack(file.messageType);
    return FileDescriptorProto.encode({
      ...file,
      name: STATUS_DETAILS_FILES[file.package ?? ""] ?? file.name,
    }).finish();
  });
}

/** The names a reference may mean, innermost scope first (protobuf's scoping rules). */
function candidates(reference: string, scope: string): string[] {
  if (reference.startsWith(".")) return [reference.slice(1)];
  const found: string[] = [];
  let at = scope;
  for (;;) {
    found.push(at ? `${at}.${reference}` : reference);
    if (!at) return found;
    const dot = at.lastIndexOf(".");
    at = dot < 0 ? "" : at.slice(0, dot);
  }
}

/** The files of a package definition with fully qualified references and their imports declared. */
export function linkDescriptors(files: readonly Uint8Array[]): Buffer[] {
  const decoded = files.map((bytes) => FileDescriptorProto.decode(bytes) as unknown as IFileDescriptorProto);
  // Every message, enum and service, by fully qualified name, to the file that defines it.
  const definedIn = new Map<string, IFileDescriptorProto>();
  const indexMessages = (file: IFileDescriptorProto, messages: IDescriptorProto[] | undefined, scope: string) => {
    for (const message of messages ?? []) {
      const name = `${scope}${message.name}`;
      definedIn.set(name, file);
      for (const nested of message.enumType ?? []) definedIn.set(`${name}.${nested.name}`, file);
      indexMessages(file, message.nestedType, `${name}.`);
    }
  };
  for (const file of decoded) {
    const scope = file.package ? `${file.package}.` : "";
    indexMessages(file, file.messageType, scope);
    for (const type of [...(file.enumType ?? []), ...(file.service ?? [])]) definedIn.set(`${scope}${type.name}`, file);
  }

  for (const file of decoded) {
    const imports = new Set<string>();
    // Unset references stay unset: an empty extendee that is present is an error to protoc's readers.
    const link = <K extends string>(holder: Partial<Record<K, string>>, key: K, scope: string) => {
      const reference = holder[key];
      if (!reference) return;
      for (const name of candidates(reference, scope)) {
        const owner = definedIn.get(name);
        if (!owner) continue;
        if (owner !== file && owner.name) imports.add(owner.name);
        holder[key] = `.${name}`;
        return;
      }
    };
    const linkMessages = (messages: IDescriptorProto[] | undefined, scope: string) => {
      for (const message of messages ?? []) {
        const name = scope ? `${scope}.${message.name}` : String(message.name);
        for (const field of [...(message.field ?? []), ...(message.extension ?? [])]) {
          link(field, "typeName", name);
          link(field, "extendee", name);
        }
        // protobufjs keeps ranges inclusive and writes them as they are; a descriptor's end is exclusive.
        for (const range of [...(message.reservedRange ?? []), ...(message.extensionRange ?? [])])
          if (range.end !== undefined) range.end += 1;
        linkMessages(message.nestedType, name);
      }
    };
    const pkg = file.package ?? "";
    linkMessages(file.messageType, pkg);
    for (const field of file.extension ?? []) {
      link(field, "typeName", pkg);
      link(field, "extendee", pkg);
    }
    for (const service of file.service ?? [])
      for (const method of service.method ?? []) {
        link(method, "inputType", pkg);
        link(method, "outputType", pkg);
      }
    file.dependency = [...new Set([...(file.dependency ?? []), ...imports])].sort();
  }
  return decoded.map((file) => Buffer.from(FileDescriptorProto.encode(file).finish()));
}

/** A message or enum of a package definition: the entries that carry the file descriptors. */
function carriesFiles(
  entry: PackageDefinition[string],
): entry is MessageTypeDefinition<object, object> | EnumTypeDefinition {
  return "format" in entry && Array.isArray(entry.fileDescriptorProtos);
}

/**
 * A reflection service for `services` of this package definition, with linkable
 * descriptors. It reads nothing of a definition but the files, and decodes them
 * once per entry that carries them (every message and enum: hundreds), so it
 * gets one entry carrying the linked files.
 */
export function reflectionFor(definition: PackageDefinition, services: string[]): ReflectionService {
  const [name, entry] = Object.entries(definition).find(([, value]) => carriesFiles(value)) ?? [];
  if (!name || !entry || !carriesFiles(entry)) return new ReflectionService({}, { services });
  const linked = linkDescriptors([...entry.fileDescriptorProtos, ...statusDetailsFiles()]);
  return new ReflectionService({ [name]: Object.assign({}, entry, { fileDescriptorProtos: linked }) }, { services });
}
